import { z } from 'zod';
import { HostId } from '../hosts/hostProfile';
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
          fix: z.object({ explanation: Localized, confirm: z.boolean() }).nullable(),
        }),
      ),
    }),
  ),
});
export type GuideView = z.infer<typeof GuideView>;

export const ItemResult = z.object({
  id: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  summary: Localized,
  evidence: z.string(),
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
