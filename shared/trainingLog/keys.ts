// Metric names. Every log spells them its own way ('loss', `lm loss`, "lr", `learning rate`); the
// app shows one name per quantity, snake_case. Keys are looked up by their bytes, so a name string
// is built once per distinct key, not once per value.

import { ascii } from './bytes';
import { decodeUtf8 } from './utf8';

/** What a key's value means for the record it is in. */
export type KeyRole = 'metric' | 'step' | 'step-of-total' | 'time' | 'ignore';

export interface KeyEntry {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly role: KeyRole;
  readonly isLoss: boolean;
  /** An evaluation metric (`eval_loss`, `mrpc_en_eval_f1`): marks its record as an eval point. */
  readonly isEval: boolean;
}

/** The training loss is `loss` whatever the log calls it; a few other quantities get one name too. */
const ALIASES: Readonly<Record<string, string>> = {
  'lm loss': 'loss',
  lm_loss: 'loss',
  lr: 'learning_rate',
  'learning rate': 'learning_rate',
  'grad norm': 'grad_norm',
  'number of skipped iterations': 'skipped_iterations',
  'number of nan iterations': 'nan_iterations',
};

const ROLES: Readonly<Record<string, KeyRole>> = {
  step: 'step',
  current_steps: 'step',
  'global_step/max_steps': 'step-of-total',
  elapsed_time: 'time',
  // Progress bookkeeping, not quantities anyone plots.
  total_steps: 'ignore',
  max_steps: 'ignore',
  percentage: 'ignore',
  remaining_time: 'ignore',
};

/** `memory(GiB)` → `memory_gib`, `lm loss` → `lm_loss`, `rewards/chosen` → `rewards_chosen`. */
export function snakeCase(raw: string): string {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return name || raw.trim();
}

export function canonicalKey(raw: string): { name: string; role: KeyRole } {
  const lowered = raw.trim().toLowerCase();
  const role = ROLES[lowered] ?? 'metric';
  return { name: ALIASES[lowered] ?? snakeCase(raw), role };
}

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let k = start; k < end; k++) hash = Math.imul(hash ^ (buf[k] ?? 0), 0x01000193);
  return hash >>> 0;
}

function sameBytes(buf: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (bytes.length !== end - start) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[start + k] !== bytes[k]) return false;
  return true;
}

export class KeyTable {
  private readonly buckets = new Map<number, KeyEntry[]>();
  private readonly entries: KeyEntry[] = [];

  /**
   * The entry for the key `buf[start, end)`. `expected` is the key that stood in the same place in
   * the previous record: logs repeat their keys in the same order, so that one compare usually
   * replaces hashing.
   */
  lookup(buf: Uint8Array, start: number, end: number, expected: KeyEntry | undefined): KeyEntry {
    if (expected !== undefined && sameBytes(buf, start, end, expected.bytes)) return expected;
    const hash = hashBytes(buf, start, end);
    let bucket = this.buckets.get(hash);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(hash, bucket);
    }
    for (const entry of bucket) if (sameBytes(buf, start, end, entry.bytes)) return entry;
    const { name, role } = canonicalKey(decodeUtf8(buf, start, end));
    const entry: KeyEntry = {
      id: this.entries.length,
      bytes: buf.slice(start, end),
      name,
      role,
      isLoss: name === 'loss',
      isEval: name.startsWith('eval_') || name.includes('_eval_'),
    };
    bucket.push(entry);
    this.entries.push(entry);
    return entry;
  }

  /** The entry for a key the parser itself names (ASCII). */
  named(key: string): KeyEntry {
    const bytes = ascii(key);
    return this.lookup(bytes, 0, bytes.length, undefined);
  }
}
