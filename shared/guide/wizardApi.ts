import { z } from 'zod';
import { HostId } from '../hosts/hostProfile';
import { ActionInputs } from './actionInputs';
import { DockerRunOptions } from './dockerRunForm';
import { GuideParams } from './guideParams';

const Localized = z.object({ zh: z.string(), en: z.string() });

/** The guide as the renderer sees it: text and structure only (checks and fixes run in main). */
export const GuideView = z.object({
  id: z.string(),
  version: z.string(),
  title: Localized,
  defaults: GuideParams,
  steps: z.array(
    z.object({
      id: z.string(),
      title: Localized,
      summary: Localized,
      items: z.array(
        z.object({
          id: z.string(),
          title: Localized,
          explanation: Localized,
          scope: z.enum(['host', 'container']),
          fix: z
            .object({
              explanation: Localized,
              confirm: z.boolean(),
              /** The button's words when "Fix" would not say what it does ("Pull the image"). */
              label: Localized.nullable(),
            })
            .nullable(),
        }),
      ),
    }),
  ),
  /** The container options of the guide's `docker run`, to start the form from. */
  dockerRun: DockerRunOptions,
});
export type GuideView = z.infer<typeof GuideView>;

export const ItemResult = z.object({
  id: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  summary: Localized,
  evidence: z.string(),
  /** Values the window acts on (a run's log path, the script's current settings). */
  facts: z.record(z.string(), z.string()).optional(),
});
export type ItemResult = z.infer<typeof ItemResult>;

export const HostCheckResult = z.object({
  hostId: HostId,
  checkedAt: z.number(),
  items: z.array(ItemResult),
  /** Set when the host could not be reached: every item is then unchecked. */
  error: z.string().nullable(),
});
export type HostCheckResult = z.infer<typeof HostCheckResult>;

export const CheckRequest = z.object({ hostIds: z.array(HostId).min(1).max(64), stepId: z.string().max(64), params: GuideParams });
export const FixRequest = z.object({ hostId: HostId, stepId: z.string().max(64), itemId: z.string().max(64), params: GuideParams });

export const CommandRun = z.object({ command: z.string(), stdout: z.string(), stderr: z.string(), code: z.number().nullable() });

export const FixPreview = z.object({ commands: z.array(z.string()), confirm: z.boolean() });
export const FixOutcome = z.object({ runs: z.array(CommandRun), recheck: ItemResult.nullable() });

export const FieldErrorView = z.object({ field: z.string(), message: Localized });

/** An item's fix or action on one host, with the answers and container options it acts on. */
export const ActionRequest = z.object({
  hostId: HostId,
  stepId: z.string().max(64),
  itemId: z.string().max(64),
  params: GuideParams,
  options: DockerRunOptions,
  /** The later steps' forms; absent for Steps 1–2. */
  inputs: ActionInputs.optional(),
  /** The commands the user saw and agreed to: anything else (the server changed meanwhile) is refused. */
  confirmed: z.array(z.string()).optional(),
});
export type ActionRequest = z.infer<typeof ActionRequest>;
export const ActionRef = ActionRequest.pick({ hostId: true, stepId: true, itemId: true });
export type ActionRef = z.infer<typeof ActionRef>;

export const DiffHunkView = z.object({
  oldStart: z.number().int(),
  oldLines: z.number().int(),
  newStart: z.number().int(),
  newLines: z.number().int(),
  lines: z.array(z.object({ kind: z.enum(['context', 'removed', 'added']), text: z.string(), newline: z.boolean() })),
});
/** A file the action rewrites, as a line diff of its text now against what will be written; no hunks when it stays as it is. */
export const FileDiffView = z.object({ path: z.string(), hunks: z.array(DiffHunkView) });
export type FileDiffView = z.infer<typeof FileDiffView>;

/** The exact commands, and why the server refuses them now (a card another container holds). */
export const ActionPreview = z.object({ commands: z.array(z.string()), confirm: z.boolean(), errors: z.array(FieldErrorView), changes: z.array(FileDiffView).optional() });
export type ActionPreview = z.infer<typeof ActionPreview>;

const Fraction = z.number().min(0).max(1);

export const ActionProgress = z.object({
  fraction: Fraction,
  parts: z.array(z.object({ id: z.string(), status: Localized, fraction: Fraction, current: z.number().nullable(), total: z.number().nullable() })),
  lines: z.array(z.string()),
});
export type ActionProgress = z.infer<typeof ActionProgress>;

/** `refused`: the precheck found a problem and nothing ran; `interrupted`: the app stopped while it ran. */
export const ActionState = z.enum(['running', 'done', 'failed', 'cancelled', 'refused', 'interrupted']);
export type ActionState = z.infer<typeof ActionState>;

export const ActionRecord = z.object({
  stepId: z.string(),
  itemId: z.string(),
  state: ActionState,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  commands: z.array(z.string()),
  progress: ActionProgress.nullable(),
  /** Why a command failed, in words to act on. */
  failure: Localized.nullable(),
  errors: z.array(FieldErrorView),
});
export type ActionRecord = z.infer<typeof ActionRecord>;

export const ActionOutcome = ActionRecord.extend({ runs: z.array(CommandRun), recheck: z.array(ItemResult) });
export type ActionOutcome = z.infer<typeof ActionOutcome>;

/** Pushed while an action runs: its state, what a command printed since the last event, and at the end the re-checked items. */
export const ActionEvent = z.object({
  hostId: HostId,
  action: ActionRecord,
  /** Output of commands[command], for actions without a progress parser. */
  chunk: z.object({ command: z.number().int().min(0), text: z.string() }).nullable(),
  recheck: z.array(ItemResult),
});
export type ActionEvent = z.infer<typeof ActionEvent>;

/** Step 6's Stop on one node of the run, with that host's answers. */
export const StopRequest = z.object({ hostId: HostId, params: GuideParams });
export type StopRequest = z.infer<typeof StopRequest>;
export const StopPreview = z.object({ command: z.string() });
/** `none`: nothing was running; `killed`: it outlived the grace period after TERM; `stuck`: something outlived KILL too. */
export const StopResult = z.object({ outcome: z.enum(['none', 'terminated', 'killed', 'stuck']), waitedSeconds: z.number().nullable(), code: z.number().nullable(), stderr: z.string() });
export type StopResult = z.infer<typeof StopResult>;

export const StepResults = z.object({ checkedAt: z.number(), items: z.array(ItemResult), error: z.string().nullable() });
export type StepResults = z.infer<typeof StepResults>;

/** Where one host is in the guide: the answers it was last checked with, each step's results, each item's last action. */
export const HostProgress = z.object({
  params: GuideParams.nullable(),
  options: DockerRunOptions.nullable(),
  steps: z.record(z.string(), StepResults),
  actions: z.array(ActionRecord),
});
export type HostProgress = z.infer<typeof HostProgress>;

export const WizardProgress = z.object({ hosts: z.record(HostId, HostProgress) });
export type WizardProgress = z.infer<typeof WizardProgress>;

/** A re-check of some items replaces their rows and keeps the others, in the step's order. */
export function mergeItemResults(previous: readonly ItemResult[], fresh: readonly ItemResult[]): ItemResult[] {
  const byId = new Map(fresh.map((item) => [item.id, item]));
  const merged = previous.map((item) => byId.get(item.id) ?? item);
  return [...merged, ...fresh.filter((item) => !previous.some((known) => known.id === item.id))];
}
