import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.QVL_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, with the flags this closed, GPU-less machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

export const SCREENSHOT_DIR = 'test-results/screenshots';

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Fails the test on any uncaught error or console error in the page. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

export interface AppPageOptions {
  lang?: 'en' | 'zh';
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
  /** The screen's tab to open (its name in `lang`), e.g. Guide / 指南. */
  tab?: string;
}

/** The app in a fresh browser context, in a language and theme, on one of its screens; page errors collected. */
export async function openAppPage(browser: Browser, appUrl: string, options: AppPageOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const { lang = 'en', colorScheme = 'light', width = 1500, height = 950, tab } = options;
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${appUrl}&lang=${lang}`);
  if (tab) await page.getByRole('tab', { name: tab }).click();
  return { page, errors };
}
