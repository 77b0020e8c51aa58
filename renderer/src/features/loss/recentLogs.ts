// The loss panel's "Recently opened" list, kept in the settings so it survives a restart.

import { RECENT_LOGS_MAX } from '../../../../shared/settings/settings';
import type { RecentLog } from '../../../../shared/settings/settings';

const sameLog = (a: RecentLog, b: RecentLog): boolean =>
  a.kind === 'local' ? b.kind === 'local' && a.name === b.name : b.kind === 'remote' && a.hostId === b.hostId && a.path === b.path;

/** `opened` first, without an older entry for the same log, at most RECENT_LOGS_MAX long. */
export function withRecent(list: readonly RecentLog[], opened: readonly RecentLog[]): RecentLog[] {
  const next = [...opened].reverse().reduce<RecentLog[]>((entries, entry) => [entry, ...entries.filter((known) => !sameLog(known, entry))], [...list]);
  return next.slice(0, RECENT_LOGS_MAX);
}

export function recentFor(hostId: string, path: string, follow: boolean): RecentLog {
  return { kind: 'remote', hostId, path, follow };
}
