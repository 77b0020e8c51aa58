import { appendFileSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { addAndConnect } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// Following a training log on the simulated DevServer from the loss panel: connect the host in the
// sidebar, follow a log, append to it on the server, watch points arrive; drop the server, see the
// run say so and resume; read another log once; reload the page and get the runs back.
let server: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;
let remote: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-loss-home-'));
  remote = mkdtempSync(join(tmpdir(), 'qvl-loss-remote-'));
  chmodSync(remote, 0o755);
  [server, app, browser] = await Promise.all([startDevServer({ name: 'loss-live' }), startWebApp({ args: ['--lang', 'en'], env: { HOME: home } }), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Guide' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.stop();
  for (const dir of [home, remote]) if (dir) rmSync(dir, { recursive: true, force: true });
});

let step = 0;
/** HF Trainer dicts as a `> train.log 2>&1` file holds them, a tqdm frame before each. */
function lines(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    step++;
    text += `\r ${step % 100}%|██        | ${step}/1000 [00:10<01:00,  1.50it/s]\r${' '.repeat(30)}\r{'loss': ${(3 / Math.sqrt(step)).toFixed(4)}, 'grad_norm': ${(1 + (step % 3) / 10).toFixed(4)}, 'learning_rate': 1e-05, 'epoch': ${(step / 100).toFixed(2)}}\n`;
  }
  return text;
}

const panel = () => page.getByRole('complementary', { name: 'Loss' });
const card = (name: string) => panel().getByRole('list', { name: 'Open runs' }).getByRole('listitem').filter({ hasText: name });
const receivedCount = async (name: string) => Number(/(\d+) points received/.exec((await card(name).textContent()) ?? '')?.[1] ?? -1);
const chartPoints = () => page.evaluate(() => Number(document.querySelector<HTMLElement>('.loss-chart')?.dataset.points ?? 0));

describe('following a training log on a DevServer', () => {
  it('connects the DevServer from the sidebar', async () => {
    // A key, so that reconnecting after the server drops needs no one at the keyboard.
    await addAndConnect(page, 'node1', server, 'key');
  });

  it('follows a remote log: appended lines reach the chart, the run says it is live', async () => {
    const path = join(remote, 'train.log');
    writeFileSync(path, lines(30));
    await panel().getByRole('button', { name: 'Follow remote log…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow a log on a DevServer' });
    expect(await dialog.getByLabel('DevServer').inputValue()).not.toBe('');
    await dialog.getByLabel('Path on the server').fill(path);
    await dialog.getByRole('button', { name: 'Follow', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const run = card('train.log');
    await run.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => receivedCount('train.log')).toBe(30);
    await expect.poll(chartPoints).toBe(30);
    expect(await run.textContent()).toContain(`node1:${path}`);

    // Each appended line reaches the chart; the time is taken in the page when the chart redraws.
    // The chart takes new points with setData: the uPlot canvas is never rebuilt while points arrive.
    const canvas = await page.evaluateHandle(() => document.querySelector('.loss-chart canvas'));
    const latencies: number[] = [];
    for (let round = 0; round < 10; round++) {
      const before = await chartPoints();
      await page.evaluate((count) => {
        const figure = document.querySelector<HTMLElement>('.loss-chart');
        (window as unknown as { drawnAt: Promise<number> }).drawnAt = new Promise((resolve) => {
          const check = () => (Number(figure?.dataset.points ?? 0) > count ? resolve(Date.now()) : requestAnimationFrame(check));
          check();
        });
      }, before);
      const written = Date.now();
      appendFileSync(path, lines(1));
      const drawn = await page.evaluate(() => (window as unknown as { drawnAt: Promise<number> }).drawnAt);
      latencies.push(drawn - written);
    }
    expect(await canvas.evaluate((element) => element?.isConnected)).toBe(true);
    latencies.sort((a, b) => a - b);
    console.info(`latency, append on the DevServer → point on the chart: p50 ${latencies[5]} ms, max ${latencies.at(-1)} ms`);
    expect(latencies[5]).toBeLessThan(2000);
    await expect.poll(() => receivedCount('train.log')).toBe(40);
    await run.getByText('Too few points').or(run.getByText(/Still decreasing|Converged|Not decreasing|Unstable/)).first().waitFor();
    await saveScreenshot(page, 'loss-live-en-light');
  });

  it('says it is reconnecting when the DevServer drops, then resumes without losing a point', async () => {
    const path = join(remote, 'train.log');
    await server.kill();
    const run = card('train.log');
    await run.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
    await run.getByText(/The link dropped/).waitFor();
    appendFileSync(path, lines(5));
    await saveScreenshot(page, 'loss-live-reconnecting-en-light');
    await server.restart();
    await run.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    appendFileSync(path, lines(5));
    await expect.poll(() => receivedCount('train.log'), { timeout: 15_000 }).toBe(50);
    await expect.poll(chartPoints).toBe(50);
  });

  it('plots against wall time for a live run', async () => {
    await panel().getByLabel('X axis').selectOption('time');
    await expect.poll(chartPoints).toBeGreaterThan(0);
    // Only the points written while followed have an arrival time: not the first 30.
    expect(await chartPoints()).toBe(15);
    await page.locator('.loss-chart .u-over').first().hover();
    await expect.poll(() => page.locator('.loss-chart__readout').first().textContent()).toMatch(/^Wall time \d{1,2}:\d{2}:\d{2}/);
    await saveScreenshot(page, 'loss-live-wall-time-en-light');
    await panel().getByLabel('X axis').selectOption('step');
  });

  it('opens a remote file once, and explains a log without loss', async () => {
    const open = async (name: string, content: string | Buffer) => {
      writeFileSync(join(remote, name), content);
      await panel().getByRole('button', { name: 'Open remote file…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Open a log on a DevServer' });
      await dialog.getByLabel('Path on the server').fill(join(remote, name));
      await dialog.getByRole('button', { name: 'Open', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await card(name).getByRole('status').filter({ hasText: 'Read to the end' }).waitFor();
    };
    step = 0;
    await open('review.log', lines(300));
    expect(await receivedCount('review.log')).toBe(300);
    await open('empty.log', '');
    expect(await card('empty.log').locator('.verdict__reason').textContent()).toMatch(/the log is empty/);
    await open('weights.bin', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + 13) % 256)));
    expect(await card('weights.bin').locator('.verdict__reason').textContent()).toMatch(/looks binary/);
    await panel().getByRole('button', { name: 'Open remote file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open a log on a DevServer' });
    await dialog.getByLabel('Path on the server').fill(join(remote, 'missing.log'));
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await card('missing.log').getByText('The file does not exist.').waitFor();
    await saveScreenshot(page, 'loss-remote-files-en-light');
  });

  it('remembers recent remote logs, and a reloaded page gets its remote runs back', async () => {
    await page.reload();
    await page.getByRole('tab', { name: 'Guide' }).waitFor();
    await expect.poll(() => receivedCount('train.log'), { timeout: 15_000 }).toBe(50);
    await card('train.log').getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => receivedCount('review.log')).toBe(300);
    await panel().getByText('Recently opened').click();
    const recent = panel().locator('.loss-panel__recent');
    await recent.getByText(`node1:${join(remote, 'train.log')}`).waitFor();
    expect(await recent.getByRole('button', { name: 'Follow' }).count()).toBe(1);
    // Stopping keeps the run and its points.
    await card('train.log').getByRole('button', { name: 'Stop following train.log' }).click();
    await card('train.log').getByRole('status').filter({ hasText: 'Stopped' }).waitFor();
    expect(await receivedCount('train.log')).toBe(50);
    await panel().evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await saveScreenshot(page, 'loss-recent-en-light');
    expect(errors).toEqual([]);
  });

  it('shows the same remote runs in a second window, in Chinese and dark', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark', locale: 'zh-CN' });
    const other = await context.newPage();
    const otherErrors = collectPageErrors(other);
    await other.goto(`${app.url}&lang=zh`);
    const lossPanel = other.getByRole('complementary', { name: 'Loss' });
    const run = lossPanel.getByRole('listitem').filter({ hasText: 'train.log' }).first();
    await run.getByText('已收到 50 个数据点').waitFor();
    await lossPanel.getByRole('listitem').filter({ hasText: 'review.log' }).first().getByRole('status').filter({ hasText: '已读到末尾' }).waitFor();
    await lossPanel.getByRole('button', { name: '跟踪远程日志…' }).click();
    await other.getByRole('dialog', { name: '跟踪 DevServer 上的日志' }).waitFor();
    await saveScreenshot(other, 'loss-remote-dialog-zh-dark');
    await other.keyboard.press('Escape');
    await saveScreenshot(other, 'loss-live-zh-dark');
    expect(otherErrors).toEqual([]);
    await context.close();
  });
});
