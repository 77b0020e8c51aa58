import { describe, expect, it } from 'vitest';
import { TERMINAL_FLOW } from '../../../shared/terminal/terminalApi';
import { AckBatcher } from '../../../renderer/src/features/terminal/ackBatcher';
import { fnv1a32, formatHash, OutputTally } from '../../../renderer/src/features/terminal/outputTally';
import { needsPasteConfirmation, pasteLines, splitInput } from '../../../renderer/src/features/terminal/pasteText';

/** FNV-1a 32 written out with BigInt, independently of the Math.imul version under test. */
function referenceFnv(text: string): number {
  let hash = 0x811c9dc5n;
  for (const unit of Array.from({ length: text.length }, (_, i) => text.charCodeAt(i))) hash = ((hash ^ BigInt(unit)) * 0x01000193n) % 2n ** 32n;
  return Number(hash);
}

describe('the output tally', () => {
  it('is FNV-1a 32 (the published test vectors for ASCII)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-16 code units, CJK and astral characters included', () => {
    for (const text of ['训练 loss=0.25\r\n', '😀 ok', 'ma-user@qwen-vl:~$ ']) expect(fnv1a32(text)).toBe(referenceFnv(text));
  });

  it('gives the same pair however the output was cut into chunks', () => {
    const text = 'step 1 训练损失 loss=2.31\r\n'.repeat(50);
    const whole = new OutputTally();
    whole.add(text);
    const pieces = new OutputTally();
    for (let at = 0; at < text.length; at += 7) pieces.add(text.slice(at, at + 7));
    expect([pieces.chars, pieces.hash]).toEqual([whole.chars, whole.hash]);
    expect(whole.chars).toBe(text.length);
    expect(whole.hash).toBe(fnv1a32(text));
    expect(formatHash(0xbf9cf968)).toBe('bf9cf968');
    expect(formatHash(0x0000abcd)).toBe('0000abcd');
  });

  it('changes when one character is lost or two swap', () => {
    const text = 'abcdefgh'.repeat(100);
    expect(fnv1a32(text.slice(1))).not.toBe(fnv1a32(text));
    expect(fnv1a32(`ba${text.slice(2)}`)).not.toBe(fnv1a32(text));
  });
});

/** Runs each task when told to, as the microtask queue does once xterm's parsing run is over. */
function manualQueue() {
  const tasks: Array<() => void> = [];
  return { later: (task: () => void) => tasks.push(task), run: () => tasks.splice(0).forEach((task) => task()) };
}

describe('acknowledgements', () => {
  it('go out in batches of at least TERMINAL_FLOW.ackBatch characters, carrying everything parsed', () => {
    const sent: number[] = [];
    const queue = manualQueue();
    const acks = new AckBatcher((chars) => sent.push(chars), TERMINAL_FLOW.ackBatch, queue.later);
    for (let i = 0; i < 4; i++) {
      acks.parsed(1000);
      queue.run();
    }
    expect(sent).toEqual([]);
    acks.parsed(1000);
    queue.run();
    expect(sent).toEqual([TERMINAL_FLOW.ackBatch]);
    acks.parsed(12_000);
    queue.run();
    expect(sent).toEqual([TERMINAL_FLOW.ackBatch, 12_000]);
  });

  it('send the chunks xterm parsed in one run as one acknowledgement, once the run is over', async () => {
    const sent: number[] = [];
    const acks = new AckBatcher((chars) => sent.push(chars));
    for (const size of [65_536, 30_000, 4_464]) acks.parsed(size);
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([100_000]);
  });

  it('leave less than the low watermark unacknowledged, so the main process always resumes', () => {
    expect(TERMINAL_FLOW.ackBatch).toBeLessThanOrEqual(TERMINAL_FLOW.low);
    let acked = 0;
    const queue = manualQueue();
    const acks = new AckBatcher((chars) => (acked += chars), TERMINAL_FLOW.ackBatch, queue.later);
    let parsed = 0;
    for (const size of [1, 4095, 333, 65_536, 17, 4999, 5000, 2]) {
      acks.parsed(size);
      parsed += size;
      queue.run();
      expect(parsed - acked).toBeLessThan(TERMINAL_FLOW.low);
    }
  });
});

describe('pastes', () => {
  it('ask first when they hold a line break, even a single final one', () => {
    expect(needsPasteConfirmation('ls -la')).toBe(false);
    expect(needsPasteConfirmation('rm -rf build\n')).toBe(true);
    expect(needsPasteConfirmation('a\rb')).toBe(true);
    expect(pasteLines('cd /home/ma-user/ws\nbash train.sh\n')).toEqual(['cd /home/ma-user/ws', 'bash train.sh']);
    expect(pasteLines('one\r\ntwo\rthree')).toEqual(['one', 'two', 'three']);
  });

  it('are sent in pieces the contract accepts, never halving a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀${'y'.repeat(20)}`;
    const pieces = splitInput(text, 10);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((piece) => piece.length <= 10)).toBe(true);
    expect(pieces[0]).toBe('x'.repeat(9));
    expect(splitInput('short', 10)).toEqual(['short']);
  });
});
