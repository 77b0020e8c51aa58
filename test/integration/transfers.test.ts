import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../electron/main/services/transfer/remoteFiles';
import { downloadPath, uploadPath } from '../../electron/main/services/transfer/transferJob';
import type { TransferProgress } from '../../electron/main/services/transfer/progressMeter';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { hostileStrings } from '../support/hostileStrings';
import { keyHop, openSession } from '../support/sshTestKit';
import { startTcpProxy } from '../support/tcpProxy';
import { makeFile, sha256File, startTransferPlace, stopTransferPlace } from '../support/transferPlace';

let server: SimulatedDevServer;
let local: string;
/** A folder the simulated server's user can write to, on this same machine, so tests can look at it. */
let remote: string;

beforeAll(async () => {
  ({ server, local, remote } = await startTransferPlace('transfers'));
});
afterAll(() => stopTransferPlace({ server, local, remote }));

describe('uploads', () => {
  it('uploads a file with progress, verified, and skips it when it is already identical', async () => {
    const file = makeFile(local, 'weights.bin', 40 * 1024 * 1024 + 17);
    const session = await openSession([keyHop(server)]);
    try {
      const progress: TransferProgress[] = [];
      const first = await uploadPath(session, file, `${remote}/up/`, { onProgress: (p) => progress.push(p) });
      expect(first).toMatchObject({ bytes: 40 * 1024 * 1024 + 17, sent: 40 * 1024 * 1024 + 17, resumedFrom: 0, verified: true, skipped: 0, sha256: sha256File(file) });
      expect(sha256File(join(remote, 'up', 'weights.bin'))).toBe(sha256File(file));
      expect(progress[progress.length - 1]).toMatchObject({ doneBytes: first.bytes, totalBytes: first.bytes, filesDone: 1 });
      const second = await uploadPath(session, file, `${remote}/up/`);
      expect(second).toMatchObject({ sent: 0, skipped: 1, verified: true });
    } finally {
      session.close();
    }
  });

  it('uploads a folder like the Qwen-VL-Chat weights, keeping its layout', async () => {
    const folder = join(local, 'Qwen-VL-Chat');
    for (let shard = 1; shard <= 3; shard++) makeFile(local, `Qwen-VL-Chat/pytorch_model-0000${shard}-of-00003.bin`, 3 * 1024 * 1024 + shard);
    makeFile(local, 'Qwen-VL-Chat/config.json', 900);
    makeFile(local, 'Qwen-VL-Chat/sub/dir/qwen.tiktoken', 2000);
    const session = await openSession([keyHop(server)]);
    try {
      const summary = await uploadPath(session, folder, `${remote}/ws/`);
      expect(summary).toMatchObject({ files: 5, skipped: 0, verified: true, sha256: null });
      for (const name of ['pytorch_model-00002-of-00003.bin', 'config.json', 'sub/dir/qwen.tiktoken']) {
        expect(sha256File(join(remote, 'ws', 'Qwen-VL-Chat', name))).toBe(sha256File(join(folder, name)));
      }
    } finally {
      session.close();
    }
  });

  it('resumes after the link drops at random points and ends byte-identical, never from zero', async () => {
    const file = makeFile(local, 'shard.bin', 48 * 1024 * 1024);
    const target = `${remote}/resume/shard.bin`;
    const proxy = await startTcpProxy(server.port);
    const resumes: number[] = [];
    try {
      for (let attempt = 0; attempt < 12; attempt++) {
        const session = await openSession([keyHop(server, proxy.port)]);
        const cutAfter = proxy.clientBytes() + 18 * 1024 * 1024 + Math.floor(Math.random() * 20 * 1024 * 1024);
        const watcher = setInterval(() => proxy.clientBytes() > cutAfter && proxy.cut(), 2);
        try {
          const summary = await uploadPath(session, file, target, { channels: 2 });
          resumes.push(summary.resumedFrom);
          break;
        } catch (error) {
          expect(error).toBeTruthy();
        } finally {
          clearInterval(watcher);
          session.close();
        }
      }
      expect(existsSync(target)).toBe(true);
      expect(sha256File(target)).toBe(sha256File(file));
      expect(resumes[0]).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('survives the server being killed mid-transfer: the next run resumes after a restart', async () => {
    const dying = await startDevServer({ name: 'killed-mid-transfer' });
    try {
      const file = makeFile(local, 'killed.bin', 48 * 1024 * 1024);
      const target = `${remote}/killed/killed.bin`;
      const proxy = await startTcpProxy(dying.port, { delayMs: 2 });
      const session = await openSession([keyHop(dying, proxy.port)]);
      let killed = false;
      const failed = await uploadPath(session, file, target, {
        onProgress: (p) => {
          if (!killed && p.doneBytes > 24 * 1024 * 1024) {
            killed = true;
            void dying.kill();
          }
        },
      }).catch((e: unknown) => e);
      session.close();
      await proxy.close();
      expect(failed).toBeInstanceOf(TransferError);
      expect((failed as TransferError).kind).toBe('interrupted');
      await dying.restart();
      const again = await openSession([keyHop(dying)]);
      try {
        const summary = await uploadPath(again, file, target);
        expect(summary.resumedFrom).toBeGreaterThan(0);
        expect(sha256File(target)).toBe(sha256File(file));
      } finally {
        again.close();
      }
    } finally {
      await dying.stop();
    }
  });

  it('cancels, keeps the partial file, and resumes from it', async () => {
    const file = makeFile(local, 'cancel.bin', 30 * 1024 * 1024);
    const proxy = await startTcpProxy(server.port, { delayMs: 5 });
    const session = await openSession([keyHop(server, proxy.port)]);
    try {
      const controller = new AbortController();
      const cancelled = uploadPath(session, file, `${remote}/cancel/`, {
        signal: controller.signal,
        onProgress: (p) => p.doneBytes > 8 * 1024 * 1024 && controller.abort(),
      });
      await expect(cancelled).rejects.toBeInstanceOf(TransferError);
      expect(existsSync(join(remote, 'cancel', 'cancel.bin'))).toBe(false);
      expect(existsSync(join(remote, 'cancel', '.cancel.bin.qvl-part'))).toBe(true);
    } finally {
      session.close();
      await proxy.close();
    }
    const again = await openSession([keyHop(server)]);
    try {
      expect(await uploadPath(again, file, `${remote}/cancel/`)).toMatchObject({ verified: true });
      expect(sha256File(join(remote, 'cancel', 'cancel.bin'))).toBe(sha256File(file));
    } finally {
      again.close();
    }
  });

  it('hashes a big file from the server disk: a partial that differs before the resume point fails verification and is removed', async () => {
    const MB = 1024 * 1024;
    const file = makeFile(local, 'stale.bin', 70 * MB + 5);
    // 40 MiB of the file with one byte flipped far before the resume probe: the resume takes it.
    const stale = readFileSync(file).subarray(0, 40 * MB);
    stale[1000] = (stale[1000] as number) ^ 0xff;
    // Made here (as root) for the server's user to resume.
    mkdirSync(join(remote, 'stale'));
    writeFileSync(join(remote, 'stale', '.stale.bin.qvl-part'), stale);
    chmodSync(join(remote, 'stale'), 0o777);
    chmodSync(join(remote, 'stale', '.stale.bin.qvl-part'), 0o666);
    const session = await openSession([keyHop(server)]);
    try {
      const error = (await uploadPath(session, file, `${remote}/stale/`).catch((e: unknown) => e)) as TransferError;
      expect(error).toBeInstanceOf(TransferError);
      expect(error.kind).toBe('verify-failed');
      expect(error.message).toContain(`on the server, ${sha256File(file)} here`);
      expect(existsSync(join(remote, 'stale', '.stale.bin.qvl-part'))).toBe(false);
      expect(existsSync(join(remote, 'stale', 'stale.bin'))).toBe(false);
      expect(await uploadPath(session, file, `${remote}/stale/`)).toMatchObject({ resumedFrom: 0, verified: true, sha256: sha256File(file) });
      expect(sha256File(join(remote, 'stale', 'stale.bin'))).toBe(sha256File(file));
    } finally {
      session.close();
    }
  });

  it('refuses to start when the server has too little space, saying how much is needed', async () => {
    const small = mkdtempSync(join(tmpdir(), 'qvl-small-'));
    // A 1 MiB tmpfs plays a full disk (root can mount one; CI runs as root).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=1777', 'tmpfs', small]);
    const session = await openSession([keyHop(server)]);
    try {
      const file = makeFile(local, 'too-big.bin', 3 * 1024 * 1024);
      const error = (await uploadPath(session, file, `${small}/`).catch((e: unknown) => e)) as TransferError;
      expect(error).toBeInstanceOf(TransferError);
      expect(error.kind).toBe('no-space');
      expect(error.message).toMatch(/3\.0 MiB to upload, 1\.0 MiB free/);
      expect(existsSync(join(small, '.too-big.bin.qvl-part'))).toBe(false);
    } finally {
      session.close();
      execFileSync('umount', [small]);
    }
  });

  it('handles hostile file names without running them', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'qvl-hostile-names-')), 'pwned');
    const names = hostileStrings(marker).filter((name) => name !== '' && !name.includes('/') && !name.includes('\0') && name !== '.' && name !== '..' && !name.includes('\n') && !name.includes('\r'));
    const folder = join(local, 'hostile');
    for (const [index, name] of names.entries()) makeFile(local, `hostile/${name}`, 100 + index);
    const session = await openSession([keyHop(server)]);
    try {
      const summary = await uploadPath(session, folder, `${remote}/hostile dir $(touch ${marker})/`);
      expect(summary.files).toBe(names.length);
      const again = await uploadPath(session, folder, `${remote}/hostile dir $(touch ${marker})/`);
      expect(again.skipped).toBe(names.length);
    } finally {
      session.close();
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe('downloads', () => {
  it('downloads a file and a folder, verified, and resumes a partial download', async () => {
    const source = join(remote, 'dl');
    mkdirSync(join(source, 'nested'), { recursive: true });
    writeFileSync(join(source, 'a.bin'), randomBytes(5 * 1024 * 1024));
    writeFileSync(join(source, 'nested', 'b.txt'), 'hello');
    execFileSync('chmod', ['-R', 'a+rwX', source]);
    const session = await openSession([keyHop(server)]);
    try {
      const into = mkdtempSync(join(tmpdir(), 'qvl-dl-'));
      const folder = await downloadPath(session, source, `${into}/`);
      expect(folder).toMatchObject({ files: 2, verified: true });
      expect(sha256File(join(into, 'dl', 'a.bin'))).toBe(sha256File(join(source, 'a.bin')));
      expect(readFileSync(join(into, 'dl', 'nested', 'b.txt'), 'utf8')).toBe('hello');

      const big = join(remote, 'big.bin');
      writeFileSync(big, randomBytes(80 * 1024 * 1024));
      const partial = join(into, 'big.bin.qvl-part');
      writeFileSync(partial, readFileSync(big).subarray(0, 70 * 1024 * 1024));
      const resumed = await downloadPath(session, big, join(into, 'big.bin'));
      expect(resumed.resumedFrom).toBeGreaterThan(0);
      expect(resumed.sent).toBeLessThan(80 * 1024 * 1024);
      expect(sha256File(join(into, 'big.bin'))).toBe(sha256File(big));
    } finally {
      session.close();
    }
  });
});
