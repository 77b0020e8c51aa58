import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

let app: WebApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startWebApp({ args: ['--lang', 'en'] }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openApp(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Guide' }).waitFor();
  return { page, errors };
}

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

/** What the server saved; the UI applies a change at once and the save follows a moment later. */
function savedSettings(): { language?: string; theme?: string; sidePanel?: { width?: number } } {
  try {
    return JSON.parse(readFileSync(join(app.dataDir, 'config.json'), 'utf8'));
  } catch {
    return {};
  }
}

describe('the app frame in browser mode', () => {
  it('follows the OS theme live, and a chosen theme sticks across reloads', async () => {
    const { page, errors } = await openApp({ colorScheme: 'light' });
    expect(await theme(page)).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');

    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    expect(await theme(page)).toBe('light');
    await expect.poll(() => savedSettings().theme).toBe('light');
    await page.reload();
    await page.getByRole('tab', { name: 'Guide' }).waitFor();
    expect(await theme(page)).toBe('light');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    expect(await theme(page)).toBe('dark');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches language from the toolbar, over the --lang of the launch, and remembers it', async () => {
    const { page } = await openApp();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('tab', { name: '终端' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    // The launch's --lang en held until the user picked; the pick is saved and wins from now on.
    await expect.poll(() => savedSettings().language).toBe('zh');
    await page.reload();
    await page.getByRole('tab', { name: '终端' }).waitFor();
    expect(await page.getByRole('combobox', { name: '语言' }).inputValue()).toBe('zh');
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('tab', { name: 'Terminal' }).waitFor();
    await page.context().close();
  });

  it('has keyboard shortcuts for the screens, the panels and the help list', async () => {
    const { page, errors } = await openApp();
    await page.keyboard.press('Control+Shift+Digit2');
    expect(await page.getByRole('tab', { name: 'Terminal' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Control+Shift+Digit3');
    expect(await page.getByRole('tab', { name: 'Dataset' }).getAttribute('aria-selected')).toBe('true');

    const lossPanel = page.getByRole('complementary', { name: 'Loss' });
    await page.keyboard.press('Control+Shift+KeyL');
    await lossPanel.waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+KeyL');
    await lossPanel.waitFor();

    await page.keyboard.press('Control+Shift+KeyH');
    await page.getByRole('complementary', { name: 'DevServers' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+KeyH');

    await page.keyboard.press('F1');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.getByText('Ctrl+Shift+L').isVisible()).toBe(true);
    await saveScreenshot(page, 'shortcuts-en-light');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('resizes the loss panel by keyboard and by drag, and keeps the width', async () => {
    const { page } = await openApp();
    const splitter = page.getByRole('separator', { name: 'Resize the loss panel' });
    const panel = page.getByRole('complementary', { name: 'Loss' });
    const before = (await panel.boundingBox())?.width ?? 0;
    await splitter.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((w) => (document.querySelector('.loss-panel')?.getBoundingClientRect().width ?? 0) > w, before);
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBe(Math.round(before) + 32);

    const box = await splitter.boundingBox();
    if (!box) throw new Error('no splitter');
    const x = box.x + box.width / 2;
    await page.mouse.move(x, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(x - 100, box.y + 200, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((w) => Number(document.querySelector('[role=separator]')?.getAttribute('aria-valuenow')) === w, Math.round(before) + 132);
    await expect.poll(() => savedSettings().sidePanel?.width).toBe(Math.round(before) + 132);

    await page.reload();
    await page.getByRole('tab', { name: 'Guide' }).waitFor();
    expect(Math.round((await panel.boundingBox())?.width ?? 0)).toBe(Math.round(before) + 132);
    await page.context().close();
  });

  it('a page from another local port cannot reach the API, even though the browser sends it the cookie', async () => {
    const { page } = await openApp();
    const attacker = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<script>
        const ws = new WebSocket('ws://127.0.0.1:${app.port}/api');
        ws.onopen = () => { ws.send(JSON.stringify({ type: 'call', id: 1, method: 'settings:update', input: { theme: 'dark' } })); document.title = 'opened'; };
        ws.onerror = () => { document.title = 'refused'; };
      </script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const evil = await page.context().newPage();
    await evil.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    await evil.waitForFunction(() => document.title !== '');
    expect(await evil.title()).toBe('refused');
    attacker.close();
    await page.context().close();
  });

  it('tells the user when the local server is gone', async () => {
    const own = await startWebApp();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(own.url);
    await page.getByText('Connected to the local server').waitFor();
    await own.stop();
    await page.getByText(/Reconnecting to the local server|Lost the local server/).waitFor();
    await page.getByText('Lost the local server. Restart `npm run web` and open the new URL it prints.').waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'server-lost-en-light');
    await context.close();
  });
});
