// Failure signatures. Finding them must not cost a pass per pattern over gigabytes, so the parser
// only looks, in the visible text that no record covers, for four bytes (E, T, S, K), checks a few
// bytes around each (`Error`, `ERR00100`, `EI0002`, `OVERFLOW`, `Traceback`, `SIGKILL`, `Killed`, …),
// and decodes and classifies the line only then.

import { LBRACKET, SPACE, ascii, isDigit, matchesAt } from './bytes';
import type { FailureKind } from './types';

/** The bytes the parser looks for; every signature contains one at a known offset. */
export const SIGNATURE_BYTES = [0x45, 0x54, 0x53, 0x4b] as const; // E T S K

interface Signature {
  bytes: Uint8Array;
  /** Where the searched byte sits in `bytes`. */
  offset: number;
}

const signature = (text: string, byte: string): Signature => ({ bytes: ascii(text), offset: text.indexOf(byte) });

const SIGNATURES: Readonly<Record<number, readonly Signature[]>> = {
  0x45: ['Error', 'ERROR', 'Exception', 'OVERFLOW!'].map((text) => signature(text, 'E')),
  0x54: ['Traceback (most recent call last)', 'TorchBackend in DeepSpeed'].map((text) => signature(text, 'T')),
  0x53: ['SIGKILL', 'SIGSEGV', 'Segmentation fault', 'Setting ds_accelerator to'].map((text) => signature(text, 'S')),
  0x4b: [signature('Killed', 'K')],
};

function isUpper(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x41 && byte <= 0x5a;
}

/** Whether the byte at `hit` (one of SIGNATURE_BYTES) starts or sits in a signature worth classifying. */
export function signatureAt(buf: Uint8Array, hit: number): boolean {
  const byte = buf[hit] ?? 0;
  if (byte === 0x45) {
    // Ascend error codes (EI0002, EE1002, EZ9999), `ERR00100`, and glog's `[E ProcessGroupNCCL…]`.
    if (isUpper(buf[hit + 1]) && isDigit(buf[hit + 2]) && isDigit(buf[hit + 3]) && isDigit(buf[hit + 4]) && isDigit(buf[hit + 5])) return true;
    if (buf[hit + 1] === 0x52 && buf[hit + 2] === 0x52 && isDigit(buf[hit + 3])) return true;
    if (buf[hit - 1] === LBRACKET && buf[hit + 1] === SPACE) return true;
  }
  for (const candidate of SIGNATURES[byte] ?? []) if (matchesAt(buf, hit - candidate.offset, candidate.bytes)) return true;
  return false;
}

/** What a line with a signature turned out to be. */
export type LineFinding =
  /** `at`: where in the text the signature matched. */
  | { type: 'failure'; kind: FailureKind; at: number }
  | { type: 'overflow'; lossScale: number | null }
  | { type: 'npu-accelerator' }
  /** A pydantic error whose field name may be on the next lines: classify again with them. */
  | { type: 'needs-following' }
  | null;

const RULES: readonly (readonly [FailureKind, RegExp])[] = [
  ['cuda-oom', /CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError/],
  ['npu-oom', /NPU out of memory/],
  ['hccl-timeout', /\bEI000[26]\b|hccl fftsplus task timeout|Notify register times out|Getting socket times out/],
  ['npu-stream-timeout', /\bEE1002\b|Stream synchronize timeout|error code is 507046\b/],
  ['hccl-error', /\bHccl\w+, error code is \d+/],
  ['nccl-timeout', /Watchdog caught collective operation timeout/],
  // torchrun's rendezvous between nodes (c10d TCPStore): the master never heard from every node, or a node never reached it.
  ['rendezvous-timeout', /client socket has timed out after \d+s? while trying to connect to|Timed out after \d+ seconds waiting for (?:clients|workers|the rendezvous)/],
  ['master-port-in-use', /server socket has failed to (?:listen|bind)\b.*(?:errno: 98|Address already in use)/],
  ['loss-scale-minimum', /Current loss scale already at minimum/],
  // Qwen-VL's tokenization_qwen.py fetches its font when imported: requests' error names the URL.
  ['simsun-download', /\/Qwen-VL\/assets\/SimSun\.ttf\b/],
  ['npu-error', /\bERR\d{5}\b|\bNPU (?:function )?error\b|\bE[A-Z]9999\b/],
  ['killed', /\bKilled\b|SIGKILL|exitcode\s*:\s*-9\b/],
  ['segfault', /Segmentation fault|SIGSEGV/],
  ['worker-failed', /\bfailed \(exitcode: -?\d+\)/],
  ['python-error', /^(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Interrupt)(?::|$)/],
  ['traceback', /^Traceback \(most recent call last\):/],
];

const NCCL_ON_NPU = /TorchBackend in DeepSpeed with backend nccl|Distributed package doesn't have NCCL built in/;

/** Whether classifyLine's answer for `text` may depend on `npuAccelerator`. */
export function dependsOnAccelerator(text: string): boolean {
  return NCCL_ON_NPU.test(text);
}
const DEEPSPEED_ZERO_CONFIG = /ValidationError\b.*\bDeepSpeedZeroConfig\b/;
const PREFETCH_BUCKET = /stage3_prefetch_bucket_size/;

function overflowScale(text: string): number | null {
  const reduced = /Attempted loss scale: ([\d.eE+-]+), reducing to ([\d.eE+-]+)/.exec(text);
  if (reduced) return Number(reduced[2]);
  const kept = /Attempted loss scale: ([\d.eE+-]+), but hysteresis/.exec(text);
  return kept ? Number(kept[1]) : null;
}

/**
 * Classifies a cleaned line (see cleanLine). `following` is the text after the line, passed only on a
 * second call after 'needs-following'; `npuAccelerator` says whether DeepSpeed picked the NPU.
 */
export function classifyLine(text: string, npuAccelerator: boolean, following?: string): LineFinding {
  if (text.includes('OVERFLOW!') && text.includes('Skipping step')) return { type: 'overflow', lossScale: overflowScale(text) };
  if (/Setting ds_accelerator to npu\b/.test(text)) return { type: 'npu-accelerator' };
  const config = DEEPSPEED_ZERO_CONFIG.exec(text);
  if (config) {
    if (PREFETCH_BUCKET.test(text) || (following !== undefined && PREFETCH_BUCKET.test(following))) return { type: 'failure', kind: 'deepspeed-prefetch-bucket-size', at: config.index };
    if (following === undefined) return { type: 'needs-following' };
  }
  const nccl = npuAccelerator ? NCCL_ON_NPU.exec(text) : null;
  if (nccl) return { type: 'failure', kind: 'nccl-on-npu', at: nccl.index };
  for (const [kind, pattern] of RULES) {
    const match = pattern.exec(text);
    if (match) return { type: 'failure', kind, at: match.index };
  }
  return null;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
const RANK_PREFIX = /^\s*(?:\[rank\s?(\d+)\]:?|(\d{1,5}):(?= ))\s*/i;
const GLUED_BAR = /^.*?\d+%\|[^|]*\|\s*\d+\/\d+\s*\[[^\]]*\]/;
const MAX_TEXT = 300;

/** A line as the user should read it: no ANSI codes, rank prefix or tqdm bar in front, trimmed. */
export function cleanLine(raw: string): { text: string; rank: number } {
  let text = raw.replace(ANSI, '');
  let rank = -1;
  const prefix = RANK_PREFIX.exec(text);
  if (prefix) {
    rank = Number(prefix[1] ?? prefix[2]);
    text = text.slice(prefix[0].length);
  }
  return { text: text.replace(GLUED_BAR, '').trim(), rank };
}

/** At most MAX_TEXT characters of `text`, keeping the part from shortly before `at` (the signature). */
export function excerpt(text: string, at: number): string {
  if (text.length <= MAX_TEXT) return text;
  const start = Math.max(0, Math.min(at - 40, text.length - (MAX_TEXT - 2)));
  const head = start > 0 ? '…' : '';
  const body = text.slice(start, start + MAX_TEXT - 2);
  return `${head}${body}${start + body.length < text.length ? '…' : ''}`;
}
