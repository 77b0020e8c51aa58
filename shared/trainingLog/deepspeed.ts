// DeepSpeed's own periodic line (every `steps_per_print`, Qwen-VL: 100) — it has no loss:
//  `[…] [INFO] [logging.py:96:log_dist] [Rank 0] step=16, skipped=0, lr=[9.93e-07, 9.93e-07], mom=[[0.9, 0.95], [0.9, 0.95]]`
// (`global_step=` / `micro_step=` in timer lines are not this.) OVERFLOW lines are events, see failures.ts.

import { COMMA, RBRACKET, SPACE, ascii, isDigit, matchesAt } from './bytes';
import type { KeyEntry } from './keys';
import type { NumberSlot } from './numberScan';
import { scanDigits, scanNumber } from './numberScan';
import type { RecordScratch } from './record';
import { REJECT } from './record';

export const STEP_EQUALS = ascii('step=');
const SKIPPED = ascii(', skipped=');
const LR = ascii(', lr=[');
const RANK = ascii('[Rank ');
const MAX_BYTES = 4096;

export interface DeepSpeedKeys {
  learningRate: KeyEntry;
  skippedSteps: KeyEntry;
}

/** The rank of a `[Rank N] ` just before `anchor`, or -1. */
function rankBefore(buf: Uint8Array, anchor: number): number {
  let k = anchor - 1;
  if (buf[k] === SPACE) k--;
  if (buf[k] !== RBRACKET) return -1;
  let j = k - 1;
  while (j >= 0 && isDigit(buf[j])) j--;
  if (j === k - 1 || !matchesAt(buf, j - RANK.length + 1, RANK)) return -1;
  let rank = 0;
  for (let d = j + 1; d < k; d++) rank = rank * 10 + ((buf[d] ?? 0) - 0x30);
  return rank;
}

/** Scans the `step=` line at `anchor`, which ends at `lineEnd`. Returns `lineEnd` or REJECT. */
export function scanStepLine(buf: Uint8Array, anchor: number, lineEnd: number, keys: DeepSpeedKeys, record: RecordScratch, slot: NumberSlot): number {
  const before = buf[anchor - 1];
  if ((anchor > 0 && before !== SPACE && before !== RBRACKET) || lineEnd - anchor > MAX_BYTES) return REJECT;
  let k = anchor + STEP_EQUALS.length;
  if (!scanDigits(buf, k, lineEnd, slot)) return REJECT;
  const step = slot.value;
  k = slot.end;
  let skipped = NaN;
  if (matchesAt(buf, k, SKIPPED) && scanDigits(buf, k + SKIPPED.length, lineEnd, slot)) {
    skipped = slot.value;
    k = slot.end;
  }
  if (!matchesAt(buf, k, LR) || !scanNumber(buf, k + LR.length, lineEnd, slot)) return REJECT;
  const after = buf[slot.end];
  if (slot.end >= lineEnd || (after !== COMMA && after !== RBRACKET)) return REJECT;
  record.step = step;
  record.rank = rankBefore(buf, anchor);
  record.add(keys.learningRate, slot.value);
  if (!Number.isNaN(skipped)) record.add(keys.skippedSteps, skipped);
  return lineEnd;
}
