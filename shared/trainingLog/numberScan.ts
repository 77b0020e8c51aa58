// Numbers straight from bytes: no string per value. Handles what training logs print — `1.2e-05`,
// `2.345E+00`, `-4.25`, `0`, and the non-finite tokens `nan` `NaN` `NAN` `inf` `INF` `Infinity`
// `-inf` (JS parseFloat('inf') is NaN, which would silently turn an overflow into "no value").

import { DIGIT_0, DIGIT_9, isAsciiLetter } from './bytes';

/** Where scanNumber writes its result, so that scanning allocates nothing. */
export interface NumberSlot {
  value: number;
  end: number;
}

const EXACT_POWERS = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_EXACT_POWER = 22;
const MAX_SAFE = 9007199254740992; // 2^53
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split constant

// Double-double arithmetic (Dekker): exact products without FMA, so that mantissas with 16–19
// digits — Python's repr of a float32 grad_norm has 17 — convert with the same result as Number().
let ddHi = 0;
let ddLo = 0;

function twoProduct(a: number, b: number): void {
  const p = a * b;
  let c = SPLITTER * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  c = SPLITTER * b;
  const bHi = c - (c - b);
  const bLo = b - bHi;
  ddHi = p;
  ddLo = aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
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
      const low = ddLo + l * power;
      h = ddHi + low;
      l = low - (h - ddHi);
    } else {
      const q = h / power;
      twoProduct(q, power);
      const correction = (h - ddHi - ddLo + l) / power;
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
  // The first 15 significant digits go to `hi` (exact as a double), the next 4 to `lo`; later ones
  // only move the decimal point (Python's repr never prints more than 17).
  let hi = 0;
  let significant = 0;
  let scale = 0;
  let any = false;
  for (; k < end && significant < 15; k++) {
    const digit = (buf[k] as number) - DIGIT_0;
    if (digit >>> 0 > 9) break;
    hi = hi * 10 + digit;
    if (hi !== 0) significant++;
    any = true;
  }
  let lo = 0;
  let loDigits = 0;
  for (; k < end; k++) {
    const digit = (buf[k] as number) - DIGIT_0;
    if (digit >>> 0 > 9) break;
    if (loDigits < 4) {
      lo = lo * 10 + digit;
      loDigits++;
    } else scale++;
  }
  if (k < end && buf[k] === 0x2e) {
    for (k++; k < end && significant < 15; k++) {
      const digit = (buf[k] as number) - DIGIT_0;
      if (digit >>> 0 > 9) break;
      if (loDigits > 0) break;
      hi = hi * 10 + digit;
      if (hi !== 0) significant++;
      scale--;
      any = true;
    }
    for (; k < end; k++) {
      const digit = (buf[k] as number) - DIGIT_0;
      if (digit >>> 0 > 9) break;
      if (loDigits < 4) {
        lo = lo * 10 + digit;
        loDigits++;
        scale--;
      }
      any = true;
    }
  }
  if (!any && loDigits === 0) return false;
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
  // Clinger's fast path: an exact integer times an exact power of ten rounds once, correctly.
  if (loDigits === 0 && scale >= -MAX_EXACT_POWER && scale <= MAX_EXACT_POWER) value = scale >= 0 ? hi * (EXACT_POWERS[scale] ?? 1) : hi / (EXACT_POWERS[-scale] ?? 1);
  else value = toDouble(hi, lo, loDigits, scale, buf, start, k);
  out.value = negative ? -value : value;
  return true;
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

/** (hi·10^loDigits + lo)·10^scale, correctly rounded; `buf[start, end)` is the number's text, for the
 * extremes. */
function toDouble(hi: number, lo: number, loDigits: number, scale: number, buf: Uint8Array, start: number, end: number): number {
  if (hi === 0) return 0;
  const power = EXACT_POWERS[loDigits] ?? 1;
  const mantissa = hi * power + lo;
  if (mantissa < MAX_SAFE && scale >= -MAX_EXACT_POWER && scale <= MAX_EXACT_POWER) {
    return scale >= 0 ? mantissa * (EXACT_POWERS[scale] ?? 1) : mantissa / (EXACT_POWERS[-scale] ?? 1);
  }
  const magnitude = scale + 15 + loDigits;
  if (magnitude < -360) return 0;
  if (magnitude > 290 || magnitude < -280) return extremeNumber(buf, start, end);
  // hi·10^loDigits + lo as an exact double-double, then scaled.
  twoProduct(hi, power);
  const sum = ddHi + lo;
  const lowPart = ddLo + (lo - (sum - ddHi));
  if (scale < 0 && scale >= -MAX_EXACT_POWER) {
    // The common case (a 16–17 digit fraction, e.g. Python's repr of a float32 grad_norm): one
    // division, corrected by its exactly computed remainder.
    const divisor = EXACT_POWERS[-scale] ?? 1;
    const quotient = sum / divisor;
    twoProduct(quotient, divisor);
    return quotient + (sum - ddHi - ddLo + lowPart) / divisor;
  }
  return scaleDoubleDouble(sum, lowPart, scale);
}

/** Near DBL_MAX Veltkamp's split would overflow, near the subnormals the low half of a double-double
 * loses its bits; values that far out never come out of a training log, so they may be slow. */
function extremeNumber(buf: Uint8Array, start: number, end: number): number {
  return Number(String.fromCharCode(...buf.subarray(start, end)));
}
