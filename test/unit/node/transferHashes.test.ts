// The hashes that verify an upload: the local ones (whole file and 64 MiB segments, on a worker
// thread) and the server's per segment (OpenSSL where it is there, sha256sum where it is not).

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SshSession } from '../../../electron/main/services/ssh/sshSession';
import { hashFileInWorker, sha256File } from '../../../electron/main/services/transfer/localHash';
import { RemoteSegmentHasher, SEGMENT_BYTES } from '../../../electron/main/services/transfer/segmentHashes';

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
  it('hash the whole file and each segment, the last one shorter', async () => {
    // Segments of 5 MiB are not a multiple of the worker's 4 MiB reads: a read stops at a segment's end.
    const { path, data } = file('segments.bin', 12 * MB + 17);
    const hashes = await hashFileInWorker(path, { segmentBytes: 5 * MB });
    expect(hashes.whole).toBe(sha256(data));
    expect(hashes.segments).toEqual([sha256(data.subarray(0, 5 * MB)), sha256(data.subarray(5 * MB, 10 * MB)), sha256(data.subarray(10 * MB))]);
  });

  it('give an empty file one segment, the hash of nothing', async () => {
    const { path } = file('empty.bin', 0);
    expect(await hashFileInWorker(path, { segmentBytes: SEGMENT_BYTES })).toEqual({ whole: sha256(Buffer.alloc(0)), segments: [sha256(Buffer.alloc(0))] });
  });

  it('agree with the streamed hash for small files, and fail for a missing file or when cancelled', async () => {
    const small = file('small.bin', 3 * MB + 1);
    const big = file('big.bin', 17 * MB);
    expect(await sha256File(small.path)).toBe(sha256(small.data));
    expect(await sha256File(big.path)).toBe(sha256(big.data));
    expect((await hashFileInWorker(big.path)).segments).toEqual([]);
    await expect(hashFileInWorker(join(folder, 'missing.bin'))).rejects.toThrow(/ENOENT/);
    const controller = new AbortController();
    const hashing = hashFileInWorker(big.path, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(hashing).rejects.toThrow('stop');
  });
});

describe("the server's segment hashes", () => {
  // Runs the hasher's commands in a local sh with a PATH of our choosing, as the server would.
  const run = promisify(execFile);
  function shellWith(commands: Record<string, string>): SshSession {
    const bin = mkdtempSync(join(folder, 'bin-'));
    for (const [name, target] of Object.entries(commands)) {
      if (target.startsWith('#!')) {
        writeFileSync(join(bin, name), target);
        chmodSync(join(bin, name), 0o755);
      } else symlinkSync(target, join(bin, name));
    }
    const session = { run: async (command: { text: string }) => ({ ...(await run('/bin/sh', ['-c', command.text], { env: { PATH: bin }, encoding: 'utf8' })), code: 0 }) };
    return session as unknown as SshSession;
  }
  const dd = '/usr/bin/dd';
  const coreutils = { dd, sha256sum: '/usr/bin/sha256sum' };
  const { path, data } = file('remote.bin', SEGMENT_BYTES + 5 * MB + 3);
  const expected = [sha256(data.subarray(0, SEGMENT_BYTES)), sha256(data.subarray(SEGMENT_BYTES))];

  it('come from OpenSSL where it is installed', async () => {
    const hasher = new RemoteSegmentHasher(shellWith({ dd, openssl: '/usr/bin/openssl' }), path, data.length);
    hasher.complete(data.length);
    expect(await hasher.all()).toEqual(expected);
  });

  it('come from sha256sum where openssl is missing or fails', async () => {
    const missing = new RemoteSegmentHasher(shellWith(coreutils), path, data.length);
    expect(await missing.all()).toEqual(expected);
    const broken = new RemoteSegmentHasher(shellWith({ ...coreutils, openssl: '#!/bin/sh\ncat >/dev/null\necho "openssl: disabled" >&2\nexit 1\n' }), path, data.length);
    expect(await broken.all()).toEqual(expected);
  });

  it('are missing, not wrong, when the server cannot hash at all', async () => {
    const hasher = new RemoteSegmentHasher(shellWith({ dd }), path, data.length);
    expect(await hasher.all()).toEqual([undefined, undefined]);
  });
});
