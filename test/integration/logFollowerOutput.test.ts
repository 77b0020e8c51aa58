import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyNotice, MAX_HELD, RemoteLogOutput } from '../../electron/main/services/logs/remoteLogOutput';
import type { OutputItem } from '../../electron/main/services/logs/remoteLogOutput';
import { remoteLogCommand } from '../../electron/main/services/logs/remoteLogCommand';
import { LogFollowerBatcher } from '../../electron/main/services/logs/logFollowerBatcher';
import type { LogPointBatch } from '../../shared/logs/logStreamApi';
import { parseLog, toPoints } from '../../shared/trainingLog';

// The pure parts of following a remote log: splitting what the remote command prints, the command
// itself (run here by a local sh, as sshd runs it), and batching.

const PATH = '/home/ma-user/out/train.log';
const dir = mkdtempSync(join(tmpdir(), 'qvl-remote-log-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pushes `text` in pieces of `size` bytes and joins the file bytes and notices that come out. */
function split(text: string, size: number): { data: string; items: OutputItem[] } {
  const output = new RemoteLogOutput(PATH);
  const items: OutputItem[] = [];
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) items.push(...output.push(bytes.subarray(at, at + size)));
  const data = items.flatMap((item) => (item.type === 'data' ? [item.bytes.toString()] : [])).join('');
  return { data, items };
}

describe('what the remote log command prints', () => {
  it('hands on whole lines only, however the bytes arrive', () => {
    const text = 'qvl-log-size 12\nline one\nline two\npartial';
    for (const size of [1, 2, 7, 1000]) {
      const { data, items } = split(text, size);
      expect(items[0]).toEqual({ type: 'header', size: 12 });
      expect(data).toBe('line one\nline two\n');
    }
  });

  it('takes tail’s notices out of the bytes, even in the middle of a line, in their place', () => {
    const text = `qvl-log-size -1\ntail: cannot open '${PATH}' for reading: No such file or directory\ntail: '${PATH}' has appeared;  following new file\na\npartialtail: ${PATH}: file truncated\nb\ntail: inotify cannot be used, reverting to polling\nc\n`;
    for (const size of [1, 5, 4096]) {
      const { items } = split(text, size);
      const kinds = items.map((item) => (item.type === 'notice' ? item.notice.kind : item.type === 'data' ? `data:${item.bytes.toString()}` : item.type));
      // Data may come in more pieces when the bytes arrive in pieces; joined, the order is fixed.
      const merged = kinds.reduce<string[]>((out, kind) => (kind.startsWith('data:') && out.at(-1)?.startsWith('data:') ? [...out.slice(0, -1), `${out.at(-1)}${kind.slice(5)}`] : [...out, kind]), []);
      expect(merged).toEqual(['header', 'missing', 'appeared', 'data:a\npartial', 'truncated', 'data:b\n', 'info', 'data:c\n']);
    }
  });

  it('leaves log lines that only look like notices, or name another file, in the log', () => {
    const text = 'qvl-log-size 0\ntail: this is my own message\ntail: /other/run.log: file truncated\n';
    expect(split(text, 1000).data).toBe('tail: this is my own message\ntail: /other/run.log: file truncated\n');
    expect(classifyNotice(`tail: '/home/ma-user/out/train.log' has been replaced;  following new file`, '~/out/train.log')?.kind).toBe('replaced');
    expect(classifyNotice('tail: "/x/my run.log" has become inaccessible: No such file or directory', '/x/my run.log')?.kind).toBe('gone');
  });

  it('skips what a login script prints before the header, and says when there is no header', () => {
    expect(split('Welcome to EulerOS\n\nqvl-log-size 5\nabcd\n', 3).items[0]).toEqual({ type: 'header', size: 5 });
    expect(split('qvl-log-no-gnu-tail\n', 4).items).toEqual([{ type: 'no-tail' }]);
    const junk = split('x'.repeat(70_000), 4096).items;
    expect(junk.at(-1)?.type).toBe('bad-header');
  });

  it('hands on a "line" longer than MAX_HELD as it is (binary data), so memory stays bounded', () => {
    const output = new RemoteLogOutput(PATH);
    output.push(Buffer.from('qvl-log-size 0\n'));
    const big = Buffer.alloc(MAX_HELD + 10, 0x41);
    expect(output.push(big.subarray(0, MAX_HELD))).toEqual([]);
    const items = output.push(big.subarray(MAX_HELD));
    expect(items.map((item) => (item.type === 'data' ? item.bytes.length : -1))).toEqual([MAX_HELD + 10]);
    expect(output.rest().length).toBe(0);
  });
});

describe('the remote log command, run by sh', () => {
  const run = (path: string, offset: number, follow: boolean) => spawnSync('sh', ['-c', remoteLogCommand(path, offset, follow).text], { input: '', timeout: 10_000, cwd: dir });

  it('prints the size, then the file from the offset; a review ends at the end', () => {
    const path = join(dir, "it's a log.txt");
    writeFileSync(path, 'one\ntwo\nthree');
    expect(run(path, 0, false).stdout.toString()).toBe('qvl-log-size 13\none\ntwo\nthree');
    expect(run(path, 4, false).stdout.toString()).toBe('qvl-log-size 13\ntwo\nthree');
    // Following: stdin closes at once here, so cat ends and the shell stops tail.
    const followed = run(path, 8, true);
    expect(followed.stdout.toString()).toMatch(/^qvl-log-size 13\n(three)?$/);
    expect(followed.status).toBe(0);
  });

  it('reads nothing from a file now shorter than the offset, or gone after something was read', () => {
    const path = join(dir, 'short.log');
    writeFileSync(path, 'abc\n');
    expect(run(path, 100, true).stdout.toString()).toBe('qvl-log-size 4\n');
    expect(run(join(dir, 'gone.log'), 10, true).stdout.toString()).toBe('qvl-log-size -1\n');
    expect(run(join(dir, 'gone.log'), 0, false).stdout.toString()).toMatch(/^qvl-log-size -1\ntail: cannot open .* No such file or directory\n$/);
  });

  it('quotes the path: nothing in it reaches the shell', () => {
    const marker = join(dir, 'pwned');
    const path = join(dir, '$(touch pwned); `touch pwned`; touch pwned.log');
    writeFileSync(path, 'x\n');
    expect(run(path, 0, false).stdout.toString()).toBe('qvl-log-size 2\nx\n');
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
    expect(remoteLogCommand('~/out/train.log', 0, false).text).toContain(`f="$HOME"/'out/train.log'`);
    expect(() => remoteLogCommand(PATH, -1, false)).toThrow(RangeError);
  });
});

describe('batches', () => {
  it('drains after a quiet spell at once, a burst at most every FLUSH_MS, numbered, and sends any stretch again', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `{'loss': ${1 / (i + 1)}, 'epoch': ${i / 1000}}\n`).join('');
    const log = parseLog(Buffer.from(lines));
    const points = toPoints(log.points, log.series);
    // The parser's new points, as drainPoints hands them out: 3, then the rest.
    const pending = [points.slice(0, 3), points.slice(3)];
    let drains = 0;
    const sent: LogPointBatch[] = [];
    const batcher = new LogFollowerBatcher('log-test', () => (drains++, pending.shift() ?? []), (batch) => sent.push(batch), () => 1_700_000_000_000);
    batcher.parsed(true);
    batcher.parsed(true);
    expect(sent).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(drains).toBe(1);
    expect(sent.map((batch) => [batch.from, batch.step.length])).toEqual([[0, 3]]);
    // Backlog bytes after live ones: the live points go out first, with their arrival; these without.
    batcher.parsed(false);
    batcher.flush();
    expect(sent.map((batch) => [batch.from, batch.step.length])).toEqual([
      [0, 3],
      [3, 5000],
      [5003, 5000],
      [10_003, 1997],
    ]);
    expect(sent[0]?.arrival).toEqual([1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_000]);
    expect(sent[1]?.arrival.every((arrival) => arrival === null)).toBe(true);
    expect(batcher.count).toBe(12_000);
    const again = batcher.resend(log, 2);
    expect(again.from).toBe(2);
    expect(again.arrival.slice(0, 2)).toEqual([1_700_000_000_000, null]);
    expect(again.metrics.loss?.slice(0, 2)).toEqual([sent[0]?.metrics.loss?.[2], sent[1]?.metrics.loss?.[0]]);
    batcher.dispose();
  });
});
