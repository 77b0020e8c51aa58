import { describe, expect, it } from 'vitest';
import type { TerminalInfo } from '../../../shared/terminal/terminalApi';
import { TerminalDataRouter } from '../../../renderer/src/features/terminal/terminalDataRouter';

const info = (id: string): TerminalInfo => ({ id, hostId: 'host-1', target: { kind: 'host' }, title: { en: 'node1 · shell', zh: 'node1 · Shell' }, state: 'running', exitCode: null, reason: null, logFile: null });

class Screen {
  text = '';
  write(data: string): void {
    this.text += data;
  }
}

/** An open whose answer the test releases, as the transport would after the first output. */
function pendingOpen(router: TerminalDataRouter) {
  let answer!: (value: TerminalInfo) => void;
  const opened = router.open(() => new Promise<TerminalInfo>((resolve) => (answer = resolve)));
  return { opened, answer: (id: string) => answer(info(id)) };
}

describe('the terminal data router', () => {
  it('keeps a shell’s first prompt that arrives before terminal:open answers', async () => {
    const router = new TerminalDataRouter();
    const open = pendingOpen(router);
    router.receive({ id: 't1', data: 'Welcome\r\n' });
    router.receive({ id: 't1', data: '$ ' });
    open.answer('t1');
    await open.opened;
    router.receive({ id: 't1', data: 'still held until a view attaches' });
    const screen = new Screen();
    router.attach('t1', screen);
    router.receive({ id: 't1', data: '!' });
    expect(screen.text).toBe('Welcome\r\n$ still held until a view attaches!');
  });

  it('drops output of terminals it did not open (another window’s)', async () => {
    const router = new TerminalDataRouter();
    router.receive({ id: 'other', data: 'before any open' });
    const open = pendingOpen(router);
    router.receive({ id: 'other', data: 'during our open' });
    open.answer('mine');
    await open.opened;
    const screen = new Screen();
    router.attach('other', screen);
    expect(screen.text).toBe('');
  });

  it('stops holding an unknown terminal that prints more than ours could before pausing', () => {
    const router = new TerminalDataRouter();
    void pendingOpen(router).opened;
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 20; i++) router.receive({ id: 'flood', data: chunk });
    const screen = new Screen();
    router.attach('flood', screen);
    expect(screen.text).toBe('');
  });

  it('forgets a released terminal', async () => {
    const router = new TerminalDataRouter();
    const open = pendingOpen(router);
    open.answer('t1');
    await open.opened;
    const screen = new Screen();
    const release = router.attach('t1', screen);
    router.receive({ id: 't1', data: 'a' });
    release();
    router.receive({ id: 't1', data: 'b' });
    const again = new Screen();
    router.attach('t1', again);
    expect([screen.text, again.text]).toEqual(['a', '']);
  });

  it('still settles the open when terminal:open fails', async () => {
    const router = new TerminalDataRouter();
    await expect(router.open(() => Promise.reject(new Error('no such container')))).rejects.toThrow('no such container');
    router.receive({ id: 'late', data: 'x' });
    const screen = new Screen();
    router.attach('late', screen);
    expect(screen.text).toBe('');
  });
});
