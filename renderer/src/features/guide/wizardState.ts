import { PARAM_LABELS } from '../../../../shared/guide/guideParams';
import type { GuideParams, ParamId } from '../../../../shared/guide/guideParams';
import type { FieldError } from '../../../../shared/guide/fieldRules';
import type { GuideView, HostCheckResult, ItemResult } from '../../../../shared/guide/wizardApi';
import type { HostId, HostProfile, HostStatus } from '../../../../shared/hosts/hostProfile';

export type GuideStepView = GuideView['steps'][number];
export type GuideItemView = GuideStepView['items'][number];
export type ItemStatus = ItemResult['status'];
export type StatusCounts = Readonly<Record<ItemStatus, number>>;

/** A host's checks as last run, with the answers they ran with: a fix must use the same ones. */
export interface HostRun {
  readonly result: HostCheckResult;
  readonly params: GuideParams;
}

export function countStatuses(items: readonly ItemResult[]): StatusCounts {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}

/** Only hosts that are connected now can be checked: a profile alone has no session. */
export function connectedHosts(profiles: readonly HostProfile[], statuses: Readonly<Record<HostId, HostStatus>>): HostProfile[] {
  return profiles.filter((profile) => statuses[profile.id]?.state === 'connected');
}

/** Until the user picks, every connected host is in: most first-time users have one. */
export function selectedHosts(connected: readonly HostProfile[], picked: readonly HostId[] | null): HostProfile[] {
  return picked === null ? [...connected] : connected.filter((profile) => picked.includes(profile.id));
}

export function togglePick(picked: readonly HostId[] | null, connected: readonly HostProfile[], id: HostId): HostId[] {
  const current = selectedHosts(connected, picked).map((profile) => profile.id);
  return current.includes(id) ? current.filter((known) => known !== id) : [...current, id];
}

export type Gate = 'open' | 'unchecked' | 'failing';

/**
 * Later steps build on this one, so they open only once every selected host was checked, answered,
 * and has no failure; warnings do not block (the guide marks those as advice).
 */
export function stepOneGate(hostIds: readonly HostId[], runs: Readonly<Record<HostId, HostRun>>): Gate {
  if (hostIds.length === 0) return 'unchecked';
  const results = hostIds.flatMap((id) => runs[id]?.result ?? []);
  if (results.length < hostIds.length) return 'unchecked';
  return results.some((result) => result.error !== null || result.items.some((item) => item.status === 'fail')) ? 'failing' : 'open';
}

/** A fix's re-check replaces that one row; the host's other rows keep their last result. */
export function withRecheck(run: HostRun, recheck: ItemResult): HostRun {
  return { ...run, result: { ...run.result, items: run.result.items.map((item) => (item.id === recheck.id ? recheck : item)) } };
}

function isParamId(field: string): field is ParamId {
  return Object.hasOwn(PARAM_LABELS, field);
}

/** The first message for each field: one sentence under an input is enough to act on. */
export function errorsByField(errors: readonly FieldError[]): Partial<Record<ParamId, FieldError['message']>> {
  const byField: Partial<Record<ParamId, FieldError['message']>> = {};
  for (const { field, message } of errors) if (isParamId(field)) byField[field] ??= message;
  return byField;
}
