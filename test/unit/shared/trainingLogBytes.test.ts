// The byte-level pieces: number scanning, UTF-8 decoding, the portable search.

import { describe, expect, it } from 'vitest';
import { portableSearch } from '../../../shared/trainingLog/bytes';
import { scanNumber } from '../../../shared/trainingLog/numberScan';
import { decodeUtf8, encodeUtf8 } from '../../../shared/trainingLog/utf8';
import { bytesOf, lcg } from './trainingLogSupport';

function scan(text: string): { value: number; end: number } | null {
  const slot = { value: 0, end: 0 };
  const bytes = bytesOf(text);
  return scanNumber(bytes, 0, bytes.length, slot) ? slot : null;
}

describe('scanNumber', () => {
  it.each([
    ['1.2e-05', 1.2e-5],
    ['2.345E+00', 2.345],
    ['1.303225E+00', 1.303225],
    ['0', 0],
    ['0.0', 0],
    ['-4.25', -4.25],
    ['+2', 2],
    ['.5', 0.5],
    ['344093.2', 344093.2],
    ['10.555740766623172', 10.555740766623172],
    ['9.999980000000001e-06', 9.999980000000001e-6],
    ['0.00012142857142857143', 0.00012142857142857143],
    ['1.9230769230769234e-08', 1.9230769230769234e-8],
    ['15099494.4', 15099494.4],
    ['1e308', 1e308],
    ['1e400', Infinity],
    ['5e-324', 5e-324],
    ['1e-400', 0],
  ])('%s', (text, value) => {
    expect(scan(text)).toEqual({ value, end: text.length });
  });

  it.each([
    ['nan', NaN],
    ['NaN', NaN],
    ['NAN', NaN],
    ['inf', Infinity],
    ['INF', Infinity],
    ['Infinity', Infinity],
    ['-inf', -Infinity],
    ['-Infinity', -Infinity],
  ])('the token %s', (text, value) => {
    expect(scan(text)).toEqual({ value, end: text.length });
  });

  it('stops where the number stops and rejects what is not one', () => {
    expect(scan('121.1TFLOPS')).toEqual({ value: 121.1, end: 5 });
    expect(scan('2.5e')).toEqual({ value: 2.5, end: 3 });
    expect(scan('7,')).toEqual({ value: 7, end: 1 });
    for (const text of ['', '-', '.', 'e5', 'info', 'nano', 'None', 'x1']) expect(scan(text)).toBeNull();
  });

  it('agrees with Number() bit for bit on 200 000 random doubles in several notations', () => {
    const random = lcg(2024);
    const bits = new Uint32Array(2);
    const view = new Float64Array(bits.buffer);
    const wrong: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      bits[0] = Math.floor(random() * 2 ** 32);
      bits[1] = Math.floor(random() * 2 ** 32);
      const candidates = [view[0] ?? 0, random() * 10 ** Math.floor(random() * 40 - 30), Math.fround(random() * 100), random() * 1e-4];
      for (const value of candidates) {
        if (!Number.isFinite(value)) continue;
        for (const text of [String(value), value.toExponential().toUpperCase(), value.toExponential(6), value.toFixed(4)]) {
          const parsed = scan(text);
          if (parsed?.end !== text.length || !Object.is(parsed.value, Number(text))) wrong.push(`${text} → ${parsed?.value}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('UTF-8', () => {
  it('decodes like TextDecoder, including malformed and cut sequences', () => {
    const random = lcg(99);
    const decoder = new TextDecoder();
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 12) }, () => {
        const r = random();
        return r < 0.3 ? Math.floor(random() * 128) : r < 0.6 ? 0x80 + Math.floor(random() * 64) : 0xc0 + Math.floor(random() * 64);
      });
      expect(decodeUtf8(bytes, 0, bytes.length)).toBe(decoder.decode(bytes));
    }
  });

  it('encodes like TextEncoder', () => {
    for (const text of ['loss:', '训练损失：', 'emoji 🙂', 'lone \ud800 surrogate']) expect(encodeUtf8(text)).toEqual(new TextEncoder().encode(text));
  });
});

describe('portableSearch', () => {
  it('finds byte sequences like Buffer.indexOf does', () => {
    const random = lcg(5);
    const alphabet = bytesOf('iteration step= {}\n\r');
    const hay = Uint8Array.from({ length: 5000 }, () => alphabet[Math.floor(random() * alphabet.length)] ?? 0);
    for (const needle of ['iteration', 'step=', '{', '\n', 'ti', 'zz']) {
      const bytes = bytesOf(needle);
      for (let from = 0; from < hay.length; from += 97) {
        expect(portableSearch(hay, bytes, from)).toBe(Buffer.from(hay).indexOf(bytes, from));
        expect(portableSearch(hay, bytes[0] ?? 0, from)).toBe(Buffer.from(hay).indexOf(bytes[0] ?? 0, from));
      }
    }
  });
});
