import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, pumpChunks, RESUME_REWIND_BYTES } from '../../../electron/main/services/transfer/chunkPump';
import { ProgressMeter } from '../../../electron/main/services/transfer/progressMeter';

describe('the chunk pump', () => {
  it('covers the range exactly once with several lanes and keeps at most lanes×requests in flight', async () => {
    const copied: Array<[number, number]> = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const lane = {
      async copy(offset: number, length: number) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        copied.push([offset, length]);
        inFlight--;
      },
    };
    const end = CHUNK_BYTES * 37 + 123;
    let reported = 0;
    await pumpChunks({ start: 1000, end, lanes: [lane, lane, lane], requestsPerLane: 4, onChunk: (_offset, bytes) => (reported += bytes) });
    copied.sort((a, b) => a[0] - b[0]);
    let cursor = 1000;
    for (const [offset, length] of copied) {
      expect(offset).toBe(cursor);
      cursor += length;
    }
    expect(cursor).toBe(end);
    expect(reported).toBe(end - 1000);
    expect(maxInFlight).toBeLessThanOrEqual(12);
  });

  it('stops handing out chunks after a failure and reports it', async () => {
    let calls = 0;
    const lane = {
      async copy(offset: number) {
        calls++;
        if (offset >= CHUNK_BYTES * 3) throw new Error('link dropped');
      },
    };
    await expect(pumpChunks({ start: 0, end: CHUNK_BYTES * 100, lanes: [lane], requestsPerLane: 2, onChunk: () => undefined })).rejects.toThrow('link dropped');
    expect(calls).toBeLessThan(10);
  });

  it('never runs more than the resume rewind ahead of a chunk that is still in flight, however long it lags', async () => {
    // One lane stalls on its first chunk while the other keeps going: the partial file's end then
    // races ahead of a hole, and a resume that rewinds RESUME_REWIND_BYTES must still cover it.
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let firstDone = false;
    let furthest = 0;
    const lane = (stallFirst: boolean) => ({
      async copy(offset: number, length: number) {
        furthest = Math.max(furthest, offset + length);
        if (!firstDone) expect(offset + length).toBeLessThanOrEqual(RESUME_REWIND_BYTES);
        if (stallFirst && offset === 0) await stalled;
        else await new Promise((resolve) => setImmediate(resolve));
      },
    });
    const end = RESUME_REWIND_BYTES * 3;
    const pumped = pumpChunks({ start: 0, end, lanes: [lane(true), lane(false)], requestsPerLane: 1, onChunk: (offset) => offset === 0 && (firstDone = true) });
    // Let the other lane go as far as it may: it must stop just short of the rewind, and wait.
    for (let previous = -1; previous !== furthest; ) {
      previous = furthest;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(furthest).toBeGreaterThan(RESUME_REWIND_BYTES - CHUNK_BYTES);
    release();
    await pumped;
    expect(furthest).toBe(end);
  });

  it('refuses an in-flight window larger than what a resume rewinds', async () => {
    const lane = { copy: async () => undefined };
    const lanes = Array.from({ length: Math.ceil(RESUME_REWIND_BYTES / CHUNK_BYTES) + 1 }, () => lane);
    await expect(pumpChunks({ start: 0, end: 1, lanes, requestsPerLane: 1, onChunk: () => undefined })).rejects.toThrow(/rewind/);
  });
});

describe('the progress meter', () => {
  it('measures the rate over the last seconds and derives the ETA', () => {
    let now = 0;
    const meter = new ProgressMeter(10_000_000, 2, () => now);
    now = 1000;
    meter.add(1_000_000);
    expect(meter.snapshot()).toMatchObject({ doneBytes: 1_000_000, bytesPerSecond: 1_000_000, etaSeconds: 9 });
    now = 10_000;
    meter.add(4_000_000);
    meter.fileDone();
    const later = meter.snapshot();
    // Only the recent window counts: 4 MB over the 9 s since the last sample.
    expect(later.bytesPerSecond).toBeCloseTo(4_000_000 / 9, 0);
    expect(later.filesDone).toBe(1);
  });
});
