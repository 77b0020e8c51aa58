import { posix } from 'node:path';
import { sh } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';

export class TransferError extends Error {
  override readonly name = 'TransferError';
  constructor(
    readonly kind: 'no-space' | 'verify-failed' | 'remote-command' | 'local-file' | 'cancelled' | 'interrupted',
    message: string,
  ) {
    super(message);
  }
}

const HASH_BATCH = 64;

/** `sha256sum` on the server for many files at once; a missing file maps to undefined. */
export async function remoteSha256(session: SshSession, paths: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (let start = 0; start < paths.length; start += HASH_BATCH) {
    const batch = paths.slice(start, start + HASH_BATCH);
    // `--` ends options, so a file named "-r" is a file; -z keeps odd file names on one record.
    const result = await session.run(sh`sha256sum -z -- ${batch}`, { signal });
    if (result.cancelled) throw new TransferError('cancelled', 'Cancelled.');
    for (const record of result.stdout.split('\0')) {
      const match = /^\\?([0-9a-f]{64}) [ *](.*)$/s.exec(record);
      if (match?.[1] && match[2] !== undefined) hashes.set(match[2], match[1]);
    }
  }
  return hashes;
}

/** Free bytes where `dir` lives (the nearest existing ancestor, since the target may not exist yet). */
export async function remoteFreeBytes(session: SshSession, dir: string): Promise<number | undefined> {
  const result = await session.run(sh`d=${dir}; while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done; df -Pk -- "$d"`);
  const line = result.stdout.trim().split('\n')[1];
  const available = line?.trim().split(/\s+/)[3];
  return available && /^\d+$/.test(available) ? Number(available) * 1024 : undefined;
}

export async function remoteMkdirs(session: SshSession, dirs: string[]): Promise<void> {
  const unique = [...new Set(dirs)].filter((dir) => dir !== '' && dir !== '/' && dir !== '.');
  if (unique.length === 0) return;
  const result = await session.run(sh`mkdir -p -- ${unique}`);
  if (result.code !== 0) throw new TransferError('remote-command', `Could not create ${unique[0]} on the server: ${result.stderr.trim()}`);
}

export function partPath(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.qvl-part`);
}
