import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

/** A host's name as part of a file name: anything unusual becomes '_', and it never starts like an option or a hidden file. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 48) || 'host';
}

/** 2025-06-01T08-30-05Z: sortable, and legal in file names on every OS. */
function fileStamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
}

/**
 * A terminal's session written to a file, like `script` does: only what the pty sends, the
 * screen. Keystrokes are never written, so a password typed at a prompt that turned echo off
 * (sudo, su, passwd, ssh) cannot reach the file. The file is readable by its owner only.
 */
export class SessionLog {
  private failed = false;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    // A full disk must not take the terminal down: the log just stops.
    stream.on('error', () => (this.failed = true));
  }

  static async create(dir: string, hostName: string, terminalId: string, now: Date): Promise<SessionLog> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${fileSafe(hostName)}-${fileStamp(now)}-${terminalId}.log`);
    const handle = await open(path, 'wx', 0o600);
    return new SessionLog(path, handle.createWriteStream({ encoding: 'utf8' }));
  }

  write(text: string): void {
    if (!this.failed) this.stream.write(text);
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    const closed = once(this.stream, 'close').catch(() => undefined);
    this.stream.end();
    await closed;
  }
}
