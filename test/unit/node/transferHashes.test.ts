// The hashes that verify an upload: the local one (on a worker thread) and the server's, read in
// 64 MiB segments while the upload runs (OpenSSL where it is there, sha256sum where it is not).

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SshSession } from '../../../electron/main/services/ssh/sshSession';
import { hashFileInWorker, sha256File } from '../../../electron/main/services/transfer/localHash';
import { RemoteFileHasher, SEGMENT_BYTES } from '../../../electron/main/services/transfer/segmentHashes';

const MB = 1024 * 1024;
const folder = mkdtempSync(join(tmpdir(), 'qvl-transfer-hashes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function file(name: string, bytes: number): { path: string; data: Buffer } {
  const path = join(folder, name);
  const data = randomBytes(bytes);
  writeFileSync(path, data);
  return { path, data };
}

describe('local hashes on a worker thread', () => {
  it('hash the whole file in one pass, not a multiple of the read block', async () => {
    const { path, data } = file('blocks.bin', 12 * MB + 17);
    expect(await hashFileInWorker(path)).toBe(sha256(data));
    const { path: empty } = file('empty.bin', 0);
    expect(await hashFileInWorker(empty)).toBe(sha256(Buffer.alloc(0)));
  });

  it('agree with the streamed hash for small files, and fail for a missing file or when cancelled', async () => {
    const small = file('small.bin', 3 * MB + 1);
    const big = file('big.bin', 17 * MB);
    expect(await sha256File(small.path)).toBe(sha256(small.data));
    expect(await sha256File(big.path)).toBe(sha256(big.data));
    await expect(hashFileInWorker(join(folder, 'missing.bin'))).rejects.toThrow(/ENOENT/);
    const controller = new AbortController();
    const hashing = hashFileInWorker(big.path, controller.signal);
    controller.abort(new Error('stop'));
    await expect(hashing).rejects.toThrow('stop');
  });
});

describe("the server's hash of a big upload", () => {
  // Runs the hasher's command in a local sh with a PATH of our choosing, as the server would,
  // feeding it the stdin stream the hasher hands to the session.
  const started: number[] = [];
  function shellWith(commands: Record<string, string>): SshSession {
    const bin = mkdtempSync(join(folder, 'bin-'));
    for (const [name, target] of Object.entries(commands)) {
      if (target.startsWith('#!')) {
        writeFileSync(join(bin, name), target);
        chmodSync(join(bin, name), 0o755);
      } else symlinkSync(target, join(bin, name));
    }
    const run = (command: { text: string }, options: { stdin?: unknown } = {}) =>
      new Promise((resolve) => {
        const child = spawn('/bin/sh', ['-c', command.text], { env: { PATH: bin } });
        started.push(child.pid as number);
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        if (options.stdin instanceof Readable) options.stdin.pipe(child.stdin);
        child.on('close', (code) => resolve({ code, signal: null, timedOut: false, cancelled: false, stdout, stderr: '' }));
      });
    return { run } as unknown as SshSession;
  }
  const dd = '/usr/bin/dd';
  const python3 = '/usr/bin/python3';
  const openssl = '/usr/bin/openssl';
  const coreutils = { dd, sha256sum: '/usr/bin/sha256sum' };
  const { path, data } = file('remote.bin', SEGMENT_BYTES + 5 * MB + 3);
  const expected = sha256(data);

  /** A partial holding the first segment and a stale tail longer than the file, as a resumed upload can leave it. */
  function growingPart(name: string): { part: string; complete: () => void } {
    const part = join(folder, name);
    writeFileSync(part, Buffer.concat([data.subarray(0, SEGMENT_BYTES), Buffer.alloc(7 * MB, 1)]));
    const complete = () => {
      const fd = openSync(part, 'r+');
      writeSync(fd, data, SEGMENT_BYTES, data.length - SEGMENT_BYTES, SEGMENT_BYTES);
      ftruncateSync(fd, data.length);
      closeSync(fd);
    };
    return { part, complete };
  }

  it('comes from Python where it works, reading each segment once it is written and the last one at the end', async () => {
    const { part, complete } = growingPart('python.bin');
    const hasher = new RemoteFileHasher(shellWith({ python3 }), part, data.length);
    hasher.written(SEGMENT_BYTES + MB);
    // The shell execs Python: its pid reads the first segment before the rest exists.
    const pid = started.at(-1) as number;
    await vi.waitFor(() => expect(Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1])).toBeGreaterThanOrEqual(SEGMENT_BYTES), { timeout: 10_000 });
    complete();
    expect(await hasher.finish()).toBe(expected);
  });

  it('comes from OpenSSL without Python, reading each segment once it is written and the last one at the end', async () => {
    const { part, complete } = growingPart('openssl.bin');
    const log = join(folder, 'dd.log');
    const loggingDd = `#!/bin/sh\necho "$@" >> '${log}'\nexec ${dd} "$@"\n`;
    const hasher = new RemoteFileHasher(shellWith({ dd: loggingDd, openssl }), part, data.length);
    hasher.written(SEGMENT_BYTES + MB);
    await vi.waitFor(() => expect(readFileSync(log, 'utf8')).toMatch(/skip=0 /), { timeout: 10_000 });
    complete();
    expect(await hasher.finish()).toBe(expected);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('comes from OpenSSL or sha256sum where Python or OpenSSL are missing or fail', async () => {
    const broken = (name: string) => `#!/bin/sh\ncat >/dev/null\necho "${name}: disabled" >&2\nexit 1\n`;
    expect(await new RemoteFileHasher(shellWith({ dd, openssl, python3: broken('python3') }), path, data.length).finish()).toBe(expected);
    expect(await new RemoteFileHasher(shellWith(coreutils), path, data.length).finish()).toBe(expected);
    expect(await new RemoteFileHasher(shellWith({ ...coreutils, openssl: broken('openssl') }), path, data.length).finish()).toBe(expected);
  });

  it('is missing, not wrong, when the server cannot hash at all', async () => {
    const hasher = new RemoteFileHasher(shellWith({ dd }), path, data.length);
    expect(await hasher.finish()).toBeUndefined();
  });

  it('ends the server side when the upload is abandoned', async () => {
    for (const tools of [{ python3 }, { dd, openssl }] as Record<string, string>[]) {
      const hasher = new RemoteFileHasher(shellWith(tools), path, data.length);
      hasher.abandon();
      // Nothing was read: the hash of no bytes, which can never match a big file.
      expect(await hasher.finish()).toBe(sha256(Buffer.alloc(0)));
    }
  });
});
