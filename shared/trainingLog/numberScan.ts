// Numbers straight from bytes: no string per value. Handles what training logs print — `1.2e-05`,
// `2.345E+00`, `-4.25`, `0`, and the non-finite tokens `nan` `NaN` `NAN` `inf` `INF` `Infinity`
// `-inf` (JS parseFloat('inf') is NaN, which would silently turn an overflow into "no value").

import { DIGIT_0, DIGIT_9, isAsciiLetter } from './bytes';

/** Where scanNumber writes its result, so that scanning allocates nothing. A class rather than an
 * object literal: V8 updates a class instance's number field in place, but (in Node 20) boxes every
 * number stored into a literal's, which would allocate for every value read. The other scratch
 * records the parser writes numbers into for every record are classes for the same reason. */
export class NumberSlot {
  value = 0;
  end = 0;
}

const EXACT_POWERS = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT_POWER = 22;
const MAX_SAFE = 9007199254740992; // 2^53
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split constant

// Double-double arithmetic (Dekker): exact products without FMA, so that mantissas with 16–19
// digits — Python's repr of a float32 grad_norm has 17 — convert with the same result as Number().
// The product lands in a typed array: a module-level `let` holding a double is a heap-allocated
// number, so every store into one would allocate.
const product = new Float64Array(2);
const HI = 0;
const LO = 1;

function twoProduct(a: number, b: number): void {
  const p = a * b;
  let c = SPLITTER * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  c = SPLITTER * b;
  const bHi = c - (c - b);
  const bLo = b - bHi;
  product[HI] = p;
  product[LO] = aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
}

/** (hi + lo) × 10^exp10, keeping double-double precision until the last rounding. */
function scaleDoubleDouble(hi: number, lo: number, exp10: number): number {
  let h = hi;
  let l = lo;
  let e = exp10;
  for (;;) {
    const step = e > MAX_EXACT_POWER ? MAX_EXACT_POWER : e < -MAX_EXACT_POWER ? -MAX_EXACT_POWER : e;
    const power = EXACT_POWERS[step < 0 ? -step : step] ?? 1;
    if (step >= 0) {
      twoProduct(h, power);
      const productHi = product[HI] as number;
      const low = (product[LO] as number) + l * power;
      h = productHi + low;
      l = low - (h - productHi);
    } else {
      const q = h / power;
      twoProduct(q, power);
      const correction = (h - (product[HI] as number) - (product[LO] as number) + l) / power;
      h = q + correction;
      l = correction - (h - q);
    }
    e -= step;
    if (e === 0 || !Number.isFinite(h) || h === 0) return h;
  }
}

function lower(byte: number | undefined): number {
  return (byte ?? 0) | 0x20;
}

/** Reads a non-finite token at `pos` (after any sign). Returns its length or 0. */
function nonFiniteLength(buf: Uint8Array, pos: number, end: number): number {
  if (pos + 3 > end) return 0;
  const a = lower(buf[pos]);
  const b = lower(buf[pos + 1]);
  const c = lower(buf[pos + 2]);
  let length = 0;
  if (a === 0x6e && b === 0x61 && c === 0x6e) length = 3; // nan
  else if (a === 0x69 && b === 0x6e && c === 0x66) {
    length = 3; // inf
    if (pos + 8 <= end && lower(buf[pos + 3]) === 0x69 && lower(buf[pos + 4]) === 0x6e && lower(buf[pos + 5]) === 0x69 && lower(buf[pos + 6]) === 0x74 && lower(buf[pos + 7]) === 0x79) length = 8; // infinity
  }
  // "info", "nano": a word that merely starts like a token is not a number.
  if (length > 0 && pos + length < end && isAsciiLetter(buf[pos + length])) return 0;
  return length;
}

/**
 * Scans a number at `pos`. On success writes `out.value` / `out.end` and returns true; stops at
 * the first byte that cannot continue the number (the caller decides whether that is a delimiter).
 */
export function scanNumber(buf: Uint8Array, pos: number, end: number, out: NumberSlot): boolean {
  let k = pos;
  let byte = buf[k];
  const negative = byte === 0x2d;
  if (negative || byte === 0x2b) byte = buf[++k];
  if (k >= end) return false;
  if (byte === undefined || ((byte < DIGIT_0 || byte > DIGIT_9) && byte !== 0x2e)) {
    const length = nonFiniteLength(buf, k, end);
    if (length === 0) return false;
    out.value = lower(buf[k]) === 0x6e ? NaN : negative ? -Infinity : Infinity;
    out.end = k + length;
    return true;
  }
  const start = k;
  // One pass over the digits: the first 15 significant ones (exact as a double) go to `hi`, the
  // next 4 to `lo`; later ones only move the decimal point (Python's repr never prints more than 17).
  let hi = 0;
  let lo = 0;
  let significant = 0;
  while (k < end && buf[k] === DIGIT_0) k++;
  for (; k < end; k++) {
    const digit = (buf[k] as number) - DIGIT_0;
    if (digit >>> 0 > 9) break;
    if (significant < 15) hi = hi * 10 + digit;
    else if (significant < 19) lo = lo * 10 + digit;
    significant++;
  }
  let fractionDigits = 0;
  let leadingZeros = 0;
  let any = k > start;
  if (k < end && buf[k] === 0x2e) {
    const fraction = ++k;
    // Zeros right after the point only move it, while no significant digit came before.
    if (significant === 0) while (k < end && buf[k] === DIGIT_0) k++;
    leadingZeros = k - fraction;
    const fractionStart = k;
    for (; k < end; k++) {
      const digit = (buf[k] as number) - DIGIT_0;
      if (digit >>> 0 > 9) break;
      if (significant < 15) hi = hi * 10 + digit;
      else if (significant < 19) lo = lo * 10 + digit;
      significant++;
    }
    fractionDigits = k - fractionStart;
    any ||= k > fraction;
  }
  if (!any) return false;
  const kept = Math.min(significant, 19);
  const loDigits = Math.max(0, kept - 15);
  // value = hi·10^loDigits + lo, times 10^scale (digits past the 19th dropped).
  let scale = significant - kept - leadingZeros - fractionDigits;
  byte = buf[k];
  if (k < end && (byte === 0x65 || byte === 0x45)) {
    let j = k + 1;
    const expNegative = buf[j] === 0x2d;
    if (expNegative || buf[j] === 0x2b) j++;
    let exponent = 0;
    const first = j;
    for (; j < end; j++) {
      const digit = (buf[j] as number) - DIGIT_0;
      if (digit >>> 0 > 9) break;
      if (exponent < 100000) exponent = exponent * 10 + digit;
    }
    if (j > first) {
      scale += expNegative ? -exponent : exponent;
      k = j;
    }
  }
  out.end = k;
  let value: number;
  const power = EXACT_POWERS[loDigits] ?? 1;
  const mantissa = hi * power + lo;
  if (hi === 0) value = 0;
  else if (mantissa < MAX_SAFE && scale >= -MAX_EXACT_POWER && scale <= MAX_EXACT_POWER) {
    // Clinger's fast path: an exact integer times an exact power of ten rounds once, correctly.
    value = scale >= 0 ? mantissa * (EXACT_POWERS[scale] ?? 1) : mantissa / (EXACT_POWERS[-scale] ?? 1);
  } else if (scale < 0 && scale >= -MAX_EXACT_POWER) {
    // The common long case (a 16–17 digit fraction, e.g. Python's repr of a float32 grad_norm):
    // hi·10^loDigits + lo as an exact double-double, then one division corrected by its exactly
    // computed remainder. Written out here rather than called: a double passed to a call that is
    // not inlined is boxed, and this runs for most values of an HF Trainer log.
    twoProduct(hi, power);
    const productHi = product[HI] as number;
    const sum = productHi + lo;
    const lowPart = (product[LO] as number) + (lo - (sum - productHi));
    const divisor = EXACT_POWERS[-scale] ?? 1;
    const quotient = sum / divisor;
    twoProduct(quotient, divisor);
    value = quotient + (sum - (product[HI] as number) - (product[LO] as number) + lowPart) / divisor;
  } else value = toDouble(hi, lo, loDigits, scale, buf, start, k);
  out.value = negative ? -value : value;
  return true;
}

/** Whether a number scanNumber read up to `numberEnd` may go on past `end`: its exponent (`6e`,
 * `6e-`) was cut off there, so that more bytes could change its value. */
export function exponentCut(buf: Uint8Array, numberEnd: number, end: number): boolean {
  let k = numberEnd;
  if (((buf[k] ?? 0) | 0x20) !== 0x65) return false;
  k++;
  if (buf[k] === 0x2d || buf[k] === 0x2b) k++;
  return k >= end;
}

/** A non-negative integer written as plain digits (no sign, point or exponent), as scanNumber reports it. */
export function scanDigits(buf: Uint8Array, pos: number, end: number, out: NumberSlot): boolean {
  let k = pos;
  let value = 0;
  for (; k < end; k++) {
    const digit = (buf[k] as number) - DIGIT_0;
    if (digit >>> 0 > 9) break;
    value = value * 10 + digit;
  }
  out.value = value;
  out.end = k;
  return k > pos;
}

/** (hi·10^loDigits + lo)·10^scale, correctly rounded, for the cases scanNumber does not handle
 * itself: a power of ten beyond 10^±22; `buf[start, end)` is the number's text, for the extremes. */
function toDouble(hi: number, lo: number, loDigits: number, scale: number, buf: Uint8Array, start: number, end: number): number {
  const magnitude = scale + 15 + loDigits;
  if (magnitude < -360) return 0;
  if (magnitude > 290 || magnitude < -280) return extremeNumber(buf, start, end);
  // hi·10^loDigits + lo as an exact double-double, then scaled.
  const power = EXACT_POWERS[loDigits] ?? 1;
  twoProduct(hi, power);
  const productHi = product[HI] as number;
  const sum = productHi + lo;
  const lowPart = (product[LO] as number) + (lo - (sum - productHi));
  return scaleDoubleDouble(sum, lowPart, scale);
}

/** Near DBL_MAX Veltkamp's split would overflow, near the subnormals the low half of a double-double
 * loses its bits; values that far out never come out of a training log, so they may be slow. */
function extremeNumber(buf: Uint8Array, start: number, end: number): number {
  return Number(String.fromCharCode(...buf.subarray(start, end)));
}
