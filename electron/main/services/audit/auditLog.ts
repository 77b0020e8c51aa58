import { redactSecrets } from '../../../../shared/audit/auditEntry';
import type { AuditEntry } from '../../../../shared/audit/auditEntry';
import type { CommandRecord } from '../ssh/sshSession';

const KEEP = 2000;

/**
 * Every command the app ran on a server — when, where, the exit code and the head of its
 * output — newest last, with secret-looking values redacted before they are kept.
 */
export class AuditLog {
  private readonly entries: AuditEntry[] = [];

  record(hostId: string, record: CommandRecord): AuditEntry {
    const entry: AuditEntry = {
      hostId,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      command: redactSecrets(record.command),
      code: record.code,
      signal: record.signal,
      timedOut: record.timedOut,
      cancelled: record.cancelled,
      stdout: redactSecrets(record.stdout),
      stderr: redactSecrets(record.stderr),
      truncated: record.truncated,
    };
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    return entry;
  }

  list(hostId?: string): AuditEntry[] {
    return hostId === undefined ? [...this.entries] : this.entries.filter((entry) => entry.hostId === hostId);
  }
}
