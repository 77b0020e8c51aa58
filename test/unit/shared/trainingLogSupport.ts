// Helpers for the trainingLog tests: fixtures as a user's log (without the `# source:` provenance
// line the fixture READMEs say to strip), a comparable digest of a parse, and text → bytes.

import { readFileSync, readdirSync } from 'node:fs';
import type { ParsedLog } from '../../../shared/trainingLog';
import { toPoints } from '../../../shared/trainingLog';

const FIXTURES = new URL('../../fixtures/logs/', import.meta.url);

export const fixtureNames = readdirSync(FIXTURES)
  .filter((name) => !name.startsWith('README'))
  .sort();

export function fixture(name: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(new URL(name, FIXTURES)));
  const source = new TextEncoder().encode('# source:');
  if (source.every((byte, k) => bytes[k] === byte)) return bytes.subarray(bytes.indexOf(0x0a) + 1);
  return bytes;
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Everything a parse produced, in plain data (NaN compares equal in toEqual). */
export function digest(log: ParsedLog): unknown {
  return {
    format: log.format,
    stepSource: log.stepSource,
    bytes: log.bytes,
    lines: log.lines,
    points: toPoints(log.points, log.series),
    series: [...log.series.keys()],
    failures: log.failures,
    failureCounts: log.failureCounts,
    overflow: log.overflow,
    resumes: log.resumes,
    evidence: log.evidence,
  };
}

/** Node's memchr-based search, as the Node side of the app passes it in. */
export const bufferSearch = (hay: Uint8Array, needle: Uint8Array | number, from: number): number => Buffer.prototype.indexOf.call(hay, needle, from);

/** A deterministic pseudo-random generator (tests must not flake). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}
