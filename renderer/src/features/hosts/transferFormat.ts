import type { TransferJob, TransferRequest } from '../../../../shared/transfers/transferJob';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, as file managers show them, so "MB/s" means what it says. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(value < 100 ? 1 : 0)} ${UNITS[unit] ?? ''}`;
}

/** `m:ss`, or `h:mm:ss` for long transfers. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** The last segment of a local (either separator) or remote path; a trailing slash is ignored. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1) || path;
}

/** Where the bytes come from and go to, whichever the direction. */
export function transferEnds(job: TransferRequest): { from: string; to: string } {
  return job.direction === 'upload' ? { from: job.localPath, to: job.remotePath } : { from: job.remotePath, to: job.localPath };
}

/** As scp writes it, the server side prefixed with the host: `a.json → devbox:/ws/`. */
export function transferRoute(job: TransferRequest, hostName: string): string {
  const remote = `${hostName}:${job.remotePath}`;
  return job.direction === 'upload' ? `${job.localPath} → ${remote}` : `${remote} → ${job.localPath}`;
}

/** The request behind a job: starting it again resumes from the partial file. */
export function requestOf(job: TransferJob): TransferRequest {
  return { hostId: job.hostId, direction: job.direction, localPath: job.localPath, remotePath: job.remotePath };
}

export function canResume(job: TransferJob): boolean {
  return job.state === 'failed' || job.state === 'cancelled' || job.state === 'interrupted';
}
