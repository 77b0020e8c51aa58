import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

let app: WebApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startWebApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const LOGS = 'test/fixtures/logs';
const MEGATRON = 'modellink_ascend910b_qwen7b_iteration.log';
const HF = 'hf_trainer_grad_norm_fullprecision.log';
const NAN = 'qwen2vl-finetune-2u1-issue10-grad-nan-tqdm.log';

const TEXT = {
  en: { tab: 'Guide', panel: 'Loss', open: 'Open training logs…', files: 'Training log files', show: (name: string) => `Show ${name} on the charts`, close: (name: string) => `Close ${name}`, points: /\d+ loss points/, smoothing: 'Smoothing', exportCsv: 'Export CSV', gradNorm: 'Grad norm', empty: 'No training log yet' },
  zh: { tab: '指南', panel: 'Loss', open: '打开训练日志…', files: '训练日志文件', show: (name: string) => `在图表中显示 ${name}`, close: (name: string) => `关闭 ${name}`, points: /\d+ 个 loss 点/, smoothing: '平滑', exportCsv: '导出 CSV', gradNorm: '梯度范数', empty: '还没有训练日志' },
} as const;

async function openPanel(lang: 'en' | 'zh', colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${app.url}&lang=${lang}`);
  await page.getByRole('tab', { name: TEXT[lang].tab }).waitFor();
  return { page, errors };
}

/** How many pixels of the loss chart's canvas are painted. */
const paintedPixels = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('.loss-chart canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  });

describe('the loss panel reviews training logs offline', () => {
  it('opens logs in a worker, overlays them, judges each, smooths and exports CSV', async () => {
    const { page, errors } = await openPanel('en', 'light');
    const panel = page.getByRole('complementary', { name: 'Loss' });
    await panel.getByRole('heading', { name: 'No training log yet' }).waitFor();

    const started = Date.now();
    await panel.getByLabel('Training log files').setInputFiles([`${LOGS}/${MEGATRON}`, `${LOGS}/${HF}`, `${LOGS}/${NAN}`]);
    const runs = panel.getByRole('list', { name: 'Open runs' }).getByRole('listitem').filter({ has: page.getByRole('checkbox') });
    for (const name of [MEGATRON, HF, NAN]) await runs.filter({ hasText: name }).getByText(/\d+ loss points/).waitFor();
    const parsedIn = Date.now() - started;
    expect(await panel.getByRole('heading', { name: 'No training log yet' }).count()).toBe(0);

    // Each run shows its verdict in English with its point count; the NaN log's verdict names the NaN grad_norm.
    const megatron = runs.filter({ hasText: MEGATRON });
    expect(await megatron.getByText(/^\d+ loss points/).textContent()).toMatch(/^[1-9]\d* loss points · parsed in \d+ ms$/);
    expect((await megatron.locator('.verdict__reason').textContent())?.length).toBeGreaterThan(10);
    const nanRun = runs.filter({ hasText: NAN });
    expect(await nanRun.locator('.verdict__state').textContent()).toBe('Too few points');
    expect(await nanRun.locator('.verdict__reason').textContent()).toMatch(/grad_norm is NaN\/Inf in 2 of 2/);
    expect(await nanRun.getByText(/^NaN\/Inf:/).textContent()).toBe('NaN/Inf: loss 0, grad norm 2');

    await page.waitForFunction(() => document.querySelectorAll('.loss-chart canvas').length > 0);
    const drawn = await paintedPixels(page);
    expect(drawn).toBeGreaterThan(500);

    // Hiding a run redraws without it; showing it again brings it back.
    const toggle = panel.getByRole('checkbox', { name: `Show ${HF} on the charts` });
    await toggle.uncheck();
    await expect.poll(() => paintedPixels(page)).not.toBe(drawn);
    await toggle.check();
    await expect.poll(() => paintedPixels(page)).toBe(drawn);

    const slider = panel.getByRole('slider', { name: 'Smoothing' });
    await slider.fill('0.95');
    expect(await panel.locator('.loss-view__smoothing output').textContent()).toBe('0.950');

    await panel.getByRole('checkbox', { name: 'Grad norm' }).check();
    await panel.getByRole('figure', { name: 'Grad norm' }).locator('canvas').first().waitFor();
    // Megatron prints the time per iteration and the global batch size: throughput in samples/s.
    await panel.getByRole('checkbox', { name: 'Throughput' }).check();
    await panel.getByRole('figure', { name: 'Throughput (samples/s)' }).locator('canvas').first().waitFor();
    // None of these logs prints a time, so wall time is off, and says why.
    expect(await panel.locator('option[value="time"]').isDisabled()).toBe(true);
    expect(await panel.getByLabel('X axis').locator('xpath=..').getAttribute('title')).toMatch(/No time in these logs/);
    // The running mean replaces the EMA slider with a window.
    await panel.getByLabel('Smoothing method').selectOption('mean');
    await panel.getByRole('slider', { name: 'Window (points)' }).fill('5');
    expect(await panel.locator('.loss-view__smoothing output').textContent()).toBe('5');
    await panel.getByLabel('Smoothing method').selectOption('ema');

    // The cursor readout shows exact values under the mouse.
    await page.locator('.loss-chart .u-over').first().hover();
    await expect.poll(() => page.locator('.loss-chart__readout').first().textContent()).toMatch(/^Step \d+/);

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,step,epoch,loss,learning_rate,grad_norm');
    expect(csv.filter((row) => row.startsWith(`${MEGATRON},`)).length).toBeGreaterThan(3);
    expect(csv.filter((row) => row.startsWith(`${HF},`)).length).toBeGreaterThan(3);
    expect(csv.some((row) => row.startsWith(`${NAN},`) && row.includes('NaN'))).toBe(true);

    await saveScreenshot(page, 'loss-runs-en-light');
    await panel.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await saveScreenshot(page, 'loss-charts-en-light');
    console.info(`three fixture logs parsed and shown in ${parsedIn} ms`);

    // Closing every run brings the empty state back.
    for (const name of [MEGATRON, HF, NAN]) await panel.getByRole('button', { name: `Close ${name}` }).click();
    await panel.getByRole('heading', { name: 'No training log yet' }).waitFor();
    // The files opened are remembered, by name, across a reload (they are kept in the settings).
    await page.reload();
    await panel.getByText('Recently opened').click();
    for (const name of [MEGATRON, HF, NAN]) await panel.locator('.loss-panel__recent').getByText(name, { exact: true }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const [lang, colorScheme] of [['en', 'dark'], ['zh', 'light'], ['zh', 'dark']] as const) {
    it(`${lang} · ${colorScheme}: runs, verdicts and charts, every control named`, async () => {
      const { page, errors } = await openPanel(lang, colorScheme);
      const text = TEXT[lang];
      const panel = page.getByRole('complementary', { name: text.panel });
      await panel.getByRole('heading', { name: text.empty }).waitFor();
      await panel.getByLabel(text.files).setInputFiles([`${LOGS}/${MEGATRON}`, `${LOGS}/${NAN}`]);
      for (const name of [MEGATRON, NAN]) await panel.getByRole('listitem').filter({ hasText: name }).getByText(text.points).waitFor();
      await panel.getByRole('checkbox', { name: text.gradNorm }).check();
      await page.waitForFunction(() => document.querySelectorAll('.loss-chart canvas').length >= 2);
      expect(await paintedPixels(page)).toBeGreaterThan(500);
      if (lang === 'zh') expect(await panel.locator('.verdict__reason').first().textContent()).toMatch(/[\u4e00-\u9fff]/);
      const snapshot = await page.locator('body').ariaSnapshot();
      expect(snapshot).not.toMatch(/- (button|combobox|tab|separator|link|textbox|checkbox|slider)\s*$/m);
      await saveScreenshot(page, `loss-runs-${lang}-${colorScheme}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
