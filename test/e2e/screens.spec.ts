import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

const TEXT = {
  en: { tabs: ['Guide', 'Terminal', 'Dataset'], empty: ['Connect a DevServer to begin', 'No terminal open', 'No dataset open'], loss: 'No training log yet', htmlLang: 'en' },
  zh: { tabs: ['指南', '终端', '数据集'], empty: ['连接一台 DevServer 以开始', '没有打开的终端', '没有打开的数据集'], loss: '还没有训练日志', htmlLang: 'zh-CN' },
} as const;
const SCREENS = ['guide', 'terminal', 'dataset'] as const;

describe('every screen, in both languages and both themes', () => {
  for (const lang of ['en', 'zh'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${lang} · ${colorScheme}: each work area shows its empty state beside the loss panel`, async () => {
        const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, colorScheme, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${app.url}&lang=${lang}`);
        const text = TEXT[lang];
        await page.getByRole('tab', { name: text.tabs[0] }).waitFor();

        expect(new URL(page.url()).searchParams.has('token')).toBe(false);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(text.htmlLang);
        await expect(page.getByRole('complementary', { name: 'Loss' }).getByRole('heading', { name: text.loss }).isVisible()).resolves.toBe(true);

        for (const [index, screen] of SCREENS.entries()) {
          const [tabName, emptyTitle] = [text.tabs[index] ?? '', text.empty[index] ?? ''];
          const tab = page.getByRole('tab', { name: tabName });
          await tab.click();
          expect(await tab.getAttribute('aria-selected')).toBe('true');
          const panel = page.getByRole('tabpanel', { name: tabName });
          expect(await panel.getByText(emptyTitle).first().isVisible()).toBe(true);
          await saveScreenshot(page, `${screen}-${lang}-${colorScheme}`);
        }

        // Every control the page shows has an accessible name (an unnamed one appears bare in the ARIA snapshot).
        const snapshot = await page.locator('body').ariaSnapshot();
        expect(snapshot).not.toMatch(/- (button|combobox|tab|separator|link|textbox)\s*$/m);
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});
