/**
 * A line diff (Myers' O(ND) algorithm) and its unified form, as `diff -u` prints it: what a user
 * reads before a file on a server is rewritten. Lines are compared with their line ending, so a
 * CRLF turned into LF or a final newline added or removed shows as a change, as it is one.
 */

export type DiffLineKind = 'context' | 'removed' | 'added';

export interface DiffLine {
  readonly kind: DiffLineKind;
  /** Without its line ending. */
  readonly text: string;
  /** False for a file's last line when the file does not end with a newline. */
  readonly newline: boolean;
}

export interface DiffHunk {
  /** 1-based first line in the old text; the line before the hunk when it has no old lines. */
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

interface Line {
  readonly text: string;
  readonly newline: boolean;
  /** text + ending: what two lines must share to be equal. */
  readonly key: string;
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const lines: Line[] = parts.map((part) => ({ text: part, newline: true, key: `${part}\n` }));
  if (last !== '') lines.push({ text: last, newline: false, key: last });
  return lines;
}

type Op = { readonly kind: DiffLineKind; readonly line: Line };

/**
 * Past this many differences the middle is given as all removed then all added: still a correct
 * diff, without the quadratic memory of tracing two unrelated big files.
 */
const MAX_EDIT_DISTANCE = 1000;

/** The shortest edit script between a and b (no common prefix or suffix), or null past MAX_EDIT_DISTANCE. */
function myers(a: readonly Line[], b: readonly Line[]): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d += 1) {
    // Only diagonals -d..d can be read when stepping back from round d: O(D²) memory in all.
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x]?.key === b[y]?.key) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, k);
    }
  }
  return null;
}

function backtrack(a: readonly Line[], b: readonly Line[], trace: readonly Int32Array[], distance: number, lastK: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  let k = lastK;
  for (let d = distance; d > 0; d -= 1) {
    const v = trace[d] as Int32Array;
    const at = (diagonal: number) => v[diagonal + d] ?? 0;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x -= 1;
      y -= 1;
      ops.push({ kind: 'context', line: a[x] as Line });
    }
    if (down) ops.push({ kind: 'added', line: b[previousY] as Line });
    else ops.push({ kind: 'removed', line: a[previousX] as Line });
    x = previousX;
    y = previousY;
    k = previousK;
  }
  while (x > 0 && y > 0) {
    x -= 1;
    y -= 1;
    ops.push({ kind: 'context', line: a[x] as Line });
  }
  return ops.reverse();
}

function editScript(a: readonly Line[], b: readonly Line[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start]?.key === b[start]?.key) start += 1;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end]?.key === b[b.length - 1 - end]?.key) end += 1;
  const middleA = a.slice(start, a.length - end);
  const middleB = b.slice(start, b.length - end);
  const middle = myers(middleA, middleB) ?? [...middleA.map((line) => ({ kind: 'removed' as const, line })), ...middleB.map((line) => ({ kind: 'added' as const, line }))];
  const same = (line: Line): Op => ({ kind: 'context', line });
  return [...a.slice(0, start).map(same), ...middle, ...a.slice(a.length - end).map(same)];
}

/** The changes from `before` to `after`, each with up to `context` unchanged lines around it; empty when they are equal. */
export function diffLines(before: string, after: string, context = 3): DiffHunk[] {
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops.flatMap((op, index) => (op.kind === 'context' ? [] : [index]));
  const hunks: DiffHunk[] = [];
  let at = 0;
  while (at < changed.length) {
    const first = changed[at] as number;
    let last = first;
    // Changes closer than twice the context share one hunk, as diff -u does.
    while (at + 1 < changed.length && (changed[at + 1] as number) - last <= 2 * context + 1) {
      at += 1;
      last = changed[at] as number;
    }
    at += 1;
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length, last + context + 1);
    const oldBefore = ops.slice(0, from).filter((op) => op.kind !== 'added').length;
    const newBefore = ops.slice(0, from).filter((op) => op.kind !== 'removed').length;
    const lines = ops.slice(from, to).map((op) => ({ kind: op.kind, text: op.line.text, newline: op.line.newline }));
    const oldLines = lines.filter((line) => line.kind !== 'added').length;
    const newLines = lines.filter((line) => line.kind !== 'removed').length;
    hunks.push({ oldStart: oldLines === 0 ? oldBefore : oldBefore + 1, oldLines, newStart: newLines === 0 ? newBefore : newBefore + 1, newLines, lines });
  }
  return hunks;
}

const MARK: Readonly<Record<DiffLineKind, string>> = { context: ' ', removed: '-', added: '+' };

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

/** The hunks as `diff -u` prints them, under `--- oldName` / `+++ newName`; empty when nothing changed. */
export function formatUnifiedDiff(hunks: readonly DiffHunk[], oldName: string, newName: string): string {
  if (hunks.length === 0) return '';
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of hunks) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    for (const line of hunk.lines) {
      out.push(`${MARK[line.kind]}${line.text}`);
      if (!line.newline) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}

/** How many lines the hunks remove and add. */
export function diffStat(hunks: readonly DiffHunk[]): { removed: number; added: number } {
  const lines = hunks.flatMap((hunk) => hunk.lines);
  return { removed: lines.filter((line) => line.kind === 'removed').length, added: lines.filter((line) => line.kind === 'added').length };
}
