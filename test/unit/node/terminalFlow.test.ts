import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowGate } from '../../../electron/main/services/terminal/flowGate';
import { OutputBatcher } from '../../../electron/main/services/terminal/outputBatcher';
import { TERMINAL_FLOW } from '../../../shared/terminal/terminalApi';

function valve() {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe('the flow gate', () => {
  it('pauses once above the high watermark and resumes only below the low one', () => {
    const channel = valve();
    const gate = new FlowGate(channel);
    gate.sent(TERMINAL_FLOW.high);
    expect(channel.calls).toEqual([]);
    gate.sent(1);
    gate.sent(50_000);
    expect(channel.calls).toEqual(['pause']);
    expect(gate.paused).toBe(true);
    // Half-way down is not enough: resuming there would flutter around the threshold.
    gate.acknowledged(TERMINAL_FLOW.high - TERMINAL_FLOW.low);
    expect(channel.calls).toEqual(['pause']);
    gate.acknowledged(gate.unacknowledged - TERMINAL_FLOW.low);
    expect(channel.calls).toEqual(['pause']);
    gate.acknowledged(1);
    expect(channel.calls).toEqual(['pause', 'resume']);
    expect(gate.paused).toBe(false);
    gate.sent(1);
    expect(channel.calls).toEqual(['pause', 'resume']);
  });

  it('never counts below zero when a view acknowledges more than it saw', () => {
    const channel = valve();
    const gate = new FlowGate(channel, { high: 10, low: 5 });
    gate.sent(3);
    gate.acknowledged(1_000);
    expect(gate.unacknowledged).toBe(0);
    gate.sent(11);
    expect(channel.calls).toEqual(['pause']);
  });

  it('refuses watermarks that cannot work', () => {
    expect(() => new FlowGate(valve(), { high: 5, low: 5 })).toThrow(/low watermark/);
  });
});

describe('the output batcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds back a UTF-8 sequence until its last byte arrives', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher((text) => out.push(text));
    const bytes = Buffer.from('a中文🙂z', 'utf8');
    const counted = [...bytes].map((_, index) => batcher.push(bytes.subarray(index, index + 1)));
    vi.runAllTimers();
    expect(out.join('')).toBe('a中文🙂z');
    expect(counted.reduce((sum, n) => sum + n, 0)).toBe('a中文🙂z'.length);
    // Nothing is counted for a byte that does not complete a character.
    expect(counted.slice(1, 3)).toEqual([0, 0]);
  });

  it('sends the first chunk after a quiet spell at once, and what follows closely as one event, in order', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher((text) => out.push(text), { delayMs: 4, maxChars: 1000 });
    // A keystroke's echo is not held back.
    batcher.push(Buffer.from('$ l'));
    expect(out).toEqual(['$ l']);
    for (const part of ['one ', 'two ', 'three']) batcher.push(Buffer.from(part));
    expect(out).toEqual(['$ l']);
    vi.advanceTimersByTime(3);
    batcher.push(Buffer.from(' four'));
    expect(out).toEqual(['$ l']);
    vi.advanceTimersByTime(1);
    expect(out).toEqual(['$ l', 'one two three four']);
    // Within the delay of that event: still batched.
    batcher.push(Buffer.from('five'));
    expect(out).toEqual(['$ l', 'one two three four']);
    vi.advanceTimersByTime(4);
    expect(out).toEqual(['$ l', 'one two three four', 'five']);
    vi.advanceTimersByTime(10);
    batcher.push(Buffer.from('six'));
    expect(out).toEqual(['$ l', 'one two three four', 'five', 'six']);
    // A paused flood resuming is no quiet spell: its first chunk waits for the rest.
    vi.advanceTimersByTime(10);
    batcher.expectMore();
    batcher.push(Buffer.from('seven'));
    batcher.push(Buffer.from(' eight'));
    expect(out).toHaveLength(4);
    vi.advanceTimersByTime(4);
    expect(out.at(-1)).toBe('seven eight');
  });

  it('sends a big batch at once, and keeps stdout and stderr sequences apart', () => {
    vi.useFakeTimers();
    const out: string[] = [];
    const batcher = new OutputBatcher((text) => out.push(text), { delayMs: 4, maxChars: 8 });
    batcher.push(Buffer.from('12345678'));
    expect(out).toEqual(['12345678']);
    const wide = Buffer.from('中', 'utf8');
    batcher.push(wide.subarray(0, 1), 'stdout');
    batcher.push(Buffer.from('e'), 'stderr');
    batcher.push(wide.subarray(1), 'stdout');
    vi.runAllTimers();
    expect(out).toEqual(['12345678', 'e中']);
  });

  it('shows a sequence cut off at the end of the stream as U+FFFD', () => {
    const out: string[] = [];
    const batcher = new OutputBatcher((text) => out.push(text));
    batcher.push(Buffer.from([0x41, 0xe4, 0xb8]));
    expect(batcher.end()).toBe(1);
    expect(out.join('')).toBe('A\uFFFD');
  });
});
