// What the audit dialog shows and exports, kept free of React so the exports can be tested as text.

import type { AuditEntry } from '../../../../shared/audit/auditEntry';

/** How a command ended; a signal, a timeout or a cancel leave no exit code, and each reads differently. */
export type AuditOutcome =
  | { kind: 'code'; code: number }
  | { kind: 'signal'; signal: string }
  | { kind: 'timedOut' }
  | { kind: 'cancelled' }
  | { kind: 'unknown' };

export function auditOutcome(entry: AuditEntry): AuditOutcome {
  if (entry.cancelled) return { kind: 'cancelled' };
  if (entry.timedOut) return { kind: 'timedOut' };
  if (entry.code !== null) return { kind: 'code', code: entry.code };
  if (entry.signal !== null) return { kind: 'signal', signal: entry.signal };
  return { kind: 'unknown' };
}

export const auditPassed = (entry: AuditEntry): boolean => !entry.cancelled && !entry.timedOut && entry.code === 0;

export function formatDuration(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 1000) return `${Math.round(safe)} ms`;
  if (safe < 60_000) return `${(safe / 1000).toFixed(1)} s`;
  const seconds = Math.round(safe / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Case-insensitive, over the command and both output heads: "which command printed X?" is the usual question. */
export function filterAudit(entries: readonly AuditEntry[], query: string): AuditEntry[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...entries];
  return entries.filter((entry) => [entry.command, entry.stdout, entry.stderr].some((text) => text.toLowerCase().includes(needle)));
}

/** One entry per line, exactly as the backend recorded it (already redacted), for jq and log tools. */
export function auditToJsonLines(entries: readonly AuditEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

function outcomeText(entry: AuditEntry): string {
  const outcome = auditOutcome(entry);
  switch (outcome.kind) {
    case 'code':
      return `exit ${outcome.code}`;
    case 'signal':
      return `signal ${outcome.signal}`;
    case 'timedOut':
      return 'timed out';
    case 'cancelled':
      return 'cancelled';
    case 'unknown':
      return 'no exit code';
  }
}

const indented = (text: string): string =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

/** A readable report to attach to a ticket; times in UTC so readers in any time zone agree. */
export function auditToText(entries: readonly AuditEntry[], hostName: string): string {
  return entries
    .map((entry) => {
      const lines = [
        `[${new Date(entry.startedAt).toISOString()}] ${hostName} $ ${entry.command}`,
        `  ${outcomeText(entry)} · ${formatDuration(entry.finishedAt - entry.startedAt)}${entry.truncated ? ' · output truncated' : ''}`,
      ];
      if (entry.stdout) lines.push('  stdout:', indented(entry.stdout));
      if (entry.stderr) lines.push('  stderr:', indented(entry.stderr));
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** `audit-devserver-1-20261128-081424.jsonl`: the host and moment, with only characters every file system accepts. */
export function auditFileName(hostName: string, at: Date, extension: 'jsonl' | 'txt'): string {
  const host = hostName.replace(/[^A-Za-z0-9._-]+/g, '_') || 'host';
  const stamp = at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `audit-${host}-${stamp}.${extension}`;
}
