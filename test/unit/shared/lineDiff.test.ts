import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffLines, diffStat, formatUnifiedDiff } from '../../../shared/text/lineDiff';
import type { DiffHunk } from '../../../shared/text/lineDiff';
import { lcg } from './trainingLogSupport';

const STOCK = readFileSync(join(__dirname, '../../devserver/ascendcloud/multimodal_algorithm/QwenVL/train/aa00ed04091eea5fcdd32985e7915f1c53e7d599/qwen-vl/finetune/finetune_ds.sh'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'qvl-linediff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GNU diff -u's output without its two header lines (they carry file names and times). */
function gnuDiff(before: string, after: string): string {
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  const result = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
  return result.stdout.split('\n').slice(2).join('\n');
}

function ours(before: string, after: string): string {
  return formatUnifiedDiff(diffLines(before, after), 'a', 'b').split('\n').slice(2).join('\n');
}

/** Replays the hunks on `before`: a diff is right when this gives `after`. */
function apply(before: string, hunks: readonly DiffHunk[]): string {
  const lines = before === '' ? [] : before.split(/(?<=\n)/);
  const out: string[] = [];
  let next = 0;
  for (const hunk of hunks) {
    const start = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    out.push(...lines.slice(next, start));
    next = start;
    for (const line of hunk.lines) {
      const text = `${line.text}${line.newline ? '\n' : ''}`;
      if (line.kind !== 'added') {
        expect(lines[next]).toBe(text);
        next += 1;
      }
      if (line.kind !== 'removed') out.push(text);
    }
  }
  return [...out, ...lines.slice(next)].join('');
}

describe('diffLines', () => {
  it('gives nothing for equal texts', () => {
    expect(diffLines(STOCK, STOCK)).toEqual([]);
    expect(formatUnifiedDiff(diffLines('', ''), 'a', 'b')).toBe('');
  });

  it('prints the form edit of finetune_ds.sh exactly as diff -u does', () => {
    const after = STOCK.replace('DATA="path_to_data"', 'DATA="/home/ma-user/ws/data/train.json"').replace('--num_train_epochs 5 \\', '--num_train_epochs 1 \\');
    expect(ours(STOCK, after)).toBe(gnuDiff(STOCK, after));
    const hunks = diffLines(STOCK, after);
    expect(hunks).toHaveLength(2);
    expect(diffStat(hunks)).toEqual({ removed: 2, added: 2 });
    expect(hunks[0]?.lines.filter((line) => line.kind !== 'context').map((line) => line.text)).toEqual(['DATA="path_to_data"', 'DATA="/home/ma-user/ws/data/train.json"']);
  });

  it('merges changes closer than twice the context into one hunk, as diff -u does', () => {
    const after = STOCK.replace('NNODES=1', 'NNODES=2').replace('MASTER_PORT=6001', 'MASTER_PORT=6002');
    expect(ours(STOCK, after)).toBe(gnuDiff(STOCK, after));
    expect(diffLines(STOCK, after)).toHaveLength(1);
  });

  it('marks a missing final newline, and a file created or emptied', () => {
    for (const [before, after] of [
      ['a\nb\nc', 'a\nb\nc\n'],
      ['a\nb\nc\n', 'a\nB\nc'],
      ['', 'one\ntwo\n'],
      ['one\ntwo\n', ''],
      ['x', 'y'],
      ['a\r\nb\r\n', 'a\nb\r\n'],
    ]) {
      expect(ours(before ?? '', after ?? ''), JSON.stringify([before, after])).toBe(gnuDiff(before ?? '', after ?? ''));
    }
  });

  it('is minimal and replays to the new text on random edits', () => {
    const random = lcg(20261128);
    const words = ['alpha', 'beta', 'gamma', 'delta', '', '    --flag 1 \\'];
    for (let round = 0; round < 200; round += 1) {
      const before = Array.from({ length: Math.floor(random() * 30) }, () => words[Math.floor(random() * words.length)]).join('\n');
      const lines = before.split('\n');
      for (let edit = Math.floor(random() * 6); edit > 0; edit -= 1) {
        const at = Math.floor(random() * (lines.length + 1));
        if (random() < 0.5) lines.splice(at, 1);
        else lines.splice(at, 0, words[Math.floor(random() * words.length)] ?? '');
      }
      const after = lines.join('\n') + (random() < 0.3 ? '\n' : '');
      const hunks = diffLines(before, after);
      expect(apply(before, hunks)).toBe(after);
      const gnu = gnuDiff(before, after).split('\n');
      // Same number of changed lines as GNU diff: no longer than the shortest edit.
      const changed = (text: readonly string[]) => text.filter((line) => /^[-+]/.test(line)).length;
      expect(changed(formatUnifiedDiff(hunks, 'a', 'b').split('\n').slice(2))).toBe(changed(gnu));
    }
  });

  it('stays correct past the edit distance it traces', () => {
    const before = Array.from({ length: 3000 }, (_, index) => `old ${index}`).join('\n');
    const after = Array.from({ length: 3000 }, (_, index) => `new ${index}`).join('\n');
    const hunks = diffLines(before, after);
    expect(apply(before, hunks)).toBe(after);
    expect(diffStat(hunks)).toEqual({ removed: 3000, added: 3000 });
  });
});
