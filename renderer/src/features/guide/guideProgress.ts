import type { GuideParams } from '../../../../shared/guide/guideParams';
import { mergeItemResults } from '../../../../shared/guide/wizardApi';
import type { ActionEvent, ActionRecord, HostCheckResult, HostProgress, WizardProgress } from '../../../../shared/guide/wizardApi';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { HostRun } from './wizardState';

const NO_PROGRESS: HostProgress = { params: null, options: null, steps: {}, actions: [] };

/** What a running action printed, shown under it; a new run of the item starts afresh. */
export interface ActionOutput {
  readonly startedAt: number;
  readonly text: string;
}

/** The tail kept of an action's output: a command that prints a lot still shows its end. */
const OUTPUT_LIMIT = 32 * 1024;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function hostProgress(progress: WizardProgress, hostId: HostId): HostProgress {
  return progress.hosts[hostId] ?? NO_PROGRESS;
}

export function lastAction(host: HostProgress, stepId: string, itemId: string): ActionRecord | null {
  return host.actions.find((action) => action.stepId === stepId && action.itemId === itemId) ?? null;
}

export function actionKey(hostId: HostId, stepId: string, itemId: string): string {
  return `${hostId}/${stepId}/${itemId}`;
}

/** A step's check on some hosts replaces their results for that step, as the main process saved them. */
export function withCheckResults(progress: WizardProgress, stepId: string, results: readonly HostCheckResult[], params: GuideParams): WizardProgress {
  const hosts = { ...progress.hosts };
  for (const { hostId, checkedAt, items, error } of results) {
    const host = hosts[hostId] ?? NO_PROGRESS;
    hosts[hostId] = { ...host, params, steps: { ...host.steps, [stepId]: { checkedAt, items, error } } };
  }
  return { hosts };
}

/** An action's new state; its closing event also carries the items it checked again. */
export function withActionEvent(progress: WizardProgress, event: ActionEvent): WizardProgress {
  const host = hostProgress(progress, event.hostId);
  const { action } = event;
  const actions = [...host.actions.filter((known) => known.stepId !== action.stepId || known.itemId !== action.itemId), action];
  const previous = host.steps[action.stepId];
  const steps =
    event.recheck.length === 0
      ? host.steps
      : {
          ...host.steps,
          [action.stepId]: { checkedAt: action.finishedAt ?? action.startedAt, items: mergeItemResults(previous?.items ?? [], event.recheck), error: previous?.error ?? null },
        };
  return { hosts: { ...progress.hosts, [event.hostId]: { ...host, actions, steps } } };
}

/** Appends streamed output (without terminal escapes) to the action's, capped to its tail. */
export function withOutput(outputs: Readonly<Record<string, ActionOutput>>, event: ActionEvent): Readonly<Record<string, ActionOutput>> {
  if (!event.chunk) return outputs;
  const key = actionKey(event.hostId, event.action.stepId, event.action.itemId);
  const known = outputs[key];
  const before = known && known.startedAt === event.action.startedAt ? known.text : '';
  const text = (before + event.chunk.text.replace(ANSI, '')).slice(-OUTPUT_LIMIT);
  return { ...outputs, [key]: { startedAt: event.action.startedAt, text } };
}

/** Step results saved before this window opened, as the step's screen shows a check it ran itself. */
export function savedRuns(progress: WizardProgress, stepId: string, fallback: GuideParams): Record<HostId, HostRun> {
  const runs: Record<HostId, HostRun> = {};
  for (const [hostId, host] of Object.entries(progress.hosts)) {
    const results = host.steps[stepId];
    if (results) runs[hostId] = { result: { hostId, ...results }, params: host.params ?? fallback };
  }
  return runs;
}
