// Rank prefixes that launchers put before each line: torch elastic's `[rank3]: `, DeepSpeed's
// `[Rank 3]`, and pdsh / `torchrun --tee`-style `3: `.

import { COLON, LBRACKET, RBRACKET, SPACE, isDigit, skipBlanks } from './bytes';

export class RankSlot {
  rank = -1;
  end = 0;
}

/** Reads a rank prefix at `pos` (leading blanks and ANSI codes allowed). */
export function readRankPrefix(buf: Uint8Array, pos: number, end: number, out: RankSlot): boolean {
  let k = skipBlanks(buf, pos, end);
  if (buf[k] === LBRACKET) {
    const r = buf[k + 1];
    if ((r !== 0x72 && r !== 0x52) || buf[k + 2] !== 0x61 || buf[k + 3] !== 0x6e || buf[k + 4] !== 0x6b) return false;
    k += 5;
    if (buf[k] === SPACE) k++;
    const digits = k;
    let rank = 0;
    while (k < end && isDigit(buf[k])) rank = rank * 10 + ((buf[k++] ?? 0) - 0x30);
    if (k === digits || buf[k] !== RBRACKET) return false;
    k++;
    if (buf[k] === COLON) k++;
    out.rank = rank;
    out.end = skipBlanks(buf, k, end);
    return true;
  }
  const digits = k;
  let rank = 0;
  while (k < end && k - digits < 6 && isDigit(buf[k])) rank = rank * 10 + ((buf[k++] ?? 0) - 0x30);
  if (k === digits || buf[k] !== COLON || buf[k + 1] !== SPACE) return false;
  out.rank = rank;
  out.end = skipBlanks(buf, k + 1, end);
  return true;
}
