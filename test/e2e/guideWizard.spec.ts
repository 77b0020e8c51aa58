import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { asRoot } from '../../shared/guide/asRoot';
import { ENABLE_IP_FORWARD } from '../../shared/guide/sysctl';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { launchChromium, openAppPage, saveScreenshot } from '../support/chromium';
import { addAndConnect, scrollToTop } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// Step 1 of the guide on two DevServers at once: one healthy, one whose NPUs raise an alarm, whose
// docker daemon is down and whose IP forwarding is off.
let healthy: SimulatedDevServer;
let broken: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;

const HEALTHY = 'devserver-ok';
const BROKEN = 'devserver-broken';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-wizard-home-'));
  [healthy, broken, app, browser] = await Promise.all([
    startDevServer({ name: 'wizard-ok' }),
    startDevServer({ name: 'wizard-broken', dockerDaemon: 'down', npu: 'alarm', ipForward: 0 }),
    startWebApp({ env: { HOME: home } }),
    launchChromium(),
  ]);
  ({ page, errors } = await openPage('en', 'light'));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await Promise.all([healthy?.stop(), broken?.stop()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

async function openPage(lang: 'en' | 'zh', colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
  return openAppPage(browser, app.url, { lang, colorScheme, width: 1400, height: 860, tab: lang === 'zh' ? '指南' : 'Guide' });
}

const guide = (on: Page = page, name = 'Guide') => on.getByRole('tabpanel', { name });
const hostCard = (host: string, on: Page = page, panel = 'Guide') => guide(on, panel).getByRole('region', { name: host });
const row = (host: string, title: string) => hostCard(host).getByRole('listitem', { name: title, exact: true });

async function statusOf(host: string, title: string): Promise<string> {
  return (await row(host, title).getAttribute('class')) ?? '';
}

describe('Step 1 of the guide on two DevServers', () => {
  it('offers both connected DevServers once they are connected from the sidebar', async () => {
    await expect(guide().getByText('Connect a DevServer to begin').isVisible()).resolves.toBe(true);
    await addAndConnect(page, HEALTHY, healthy, 'password');
    await addAndConnect(page, BROKEN, broken, 'password');
    for (const name of [HEALTHY, BROKEN]) {
      const box = guide().getByRole('checkbox', { name });
      await box.check();
      expect(await box.isChecked()).toBe(true);
    }
    expect(await guide().getByText('Connect a DevServer to begin').count()).toBe(0);
  });

  it('explains a container name with a space before anything runs', async () => {
    const field = guide().getByLabel(/^container_name/);
    const run = guide().getByRole('button', { name: 'Run checks' });
    const original = await field.inputValue();
    await field.fill('qwen vl');
    await guide().getByText('A container name starts with a letter or digit').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await run.isDisabled()).toBe(true);
    await saveScreenshot(page, 'guide-wizard-param-error-en-light');
    await field.fill(original);
    expect(await run.isEnabled()).toBe(true);
  });

  it('runs the checks on both hosts side by side, with evidence from the servers', async () => {
    await guide().getByRole('button', { name: 'Run checks' }).click();
    await guide().getByRole('button', { name: 'Run again' }).waitFor({ timeout: 60_000 });

    for (const title of ['Number of NPUs', 'NPU health', 'NPUs idle']) expect(await statusOf(HEALTHY, title)).toContain('wizard-row--pass');
    expect(await row(HEALTHY, 'NPU health').textContent()).toContain('Passed');
    expect(await statusOf(BROKEN, 'NPU health')).toContain('wizard-row--fail');
    expect(await statusOf(BROKEN, 'Docker daemon')).toContain('wizard-row--fail');
    expect(await row(BROKEN, 'NPU health').textContent()).toContain('Failed');

    await row(BROKEN, 'NPU health').getByText('Evidence').click();
    expect(await row(BROKEN, 'NPU health').locator('pre').textContent()).toContain('Alarm');
    await row(BROKEN, 'Docker daemon').getByText('Evidence').click();
    expect(await row(BROKEN, 'Docker daemon').locator('pre').textContent()).toContain('Cannot connect to the Docker daemon');

    const counts = guide().getByRole('list', { name: 'Results per DevServer' });
    expect(await counts.textContent()).toMatch(new RegExp(`${BROKEN}.*\\d+ failed`));
    expect(await guide().getByText('Locked').count()).toBe(5);
    await scrollToTop(counts);
    await saveScreenshot(page, 'guide-wizard-results-en-light');
  });

  it('shows the exact commands of the ip-forward fix, runs them on the broken host and re-checks', async () => {
    expect(await row(HEALTHY, 'IP forwarding').getByRole('button').count()).toBe(0);
    await row(BROKEN, 'IP forwarding').getByRole('button', { name: `Fix IP forwarding on ${BROKEN}` }).click();
    const dialog = page.getByRole('dialog', { name: `Fix IP forwarding on ${BROKEN}` });
    const commands = dialog.getByLabel('Commands');
    await commands.waitFor();
    expect(await commands.textContent()).toBe(ENABLE_IP_FORWARD.map((command) => asRoot(command).text).join('\n'));
    await saveScreenshot(page, 'guide-wizard-fix-preview-en-light');

    // The simulated server logs in as a plain user: each command goes through sudo -n.
    await dialog.getByRole('button', { name: `Run on ${BROKEN}` }).click();
    await dialog.getByText('Checked again:').waitFor({ timeout: 30_000 });
    await saveScreenshot(page, 'guide-wizard-fix-done-en-light');
    expect(await dialog.getByText(/^exit code 0$/).count()).toBe(ENABLE_IP_FORWARD.length);
    expect(await dialog.getByText(/did not run/).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await statusOf(BROKEN, 'IP forwarding')).toContain('wizard-row--pass');
  });

  it('keeps the later steps locked until the user continues anyway', async () => {
    await guide().getByRole('button', { name: 'Continue anyway' }).click();
    expect(await guide().getByText('Locked').count()).toBe(0);
    await guide().getByText('Steps 2–6 are open although Step 1 has not passed').waitFor();
    const snapshot = await page.locator('body').ariaSnapshot();
    expect(snapshot).not.toMatch(/- (button|checkbox|combobox|tab|separator|link|textbox)\s*$/m);
    expect(errors).toEqual([]);
  });

  for (const [lang, colorScheme] of [
    ['zh', 'dark'],
    ['en', 'dark'],
    ['zh', 'light'],
  ] as const) {
    it(`${lang} · ${colorScheme}: the same results read well`, async () => {
      const { page: other, errors: otherErrors } = await openPage(lang, colorScheme);
      const panel = lang === 'zh' ? '指南' : 'Guide';
      // Each host's results are saved: a new window shows them at once, and checks again on demand.
      const again = guide(other, panel).getByRole('button', { name: lang === 'zh' ? '重新检查' : 'Run again' });
      await again.click();
      await expect.poll(() => again.isEnabled(), { timeout: 60_000 }).toBe(true);
      const npuHealth = hostCard(BROKEN, other, panel).getByRole('listitem', { name: lang === 'zh' ? 'NPU 卡状态' : 'NPU health' });
      await npuHealth.getByText(lang === 'zh' ? '依据' : 'Evidence').click();
      await scrollToTop(guide(other, panel).getByRole('list', { name: lang === 'zh' ? '各 DevServer 的结果' : 'Results per DevServer' }));
      await saveScreenshot(other, `guide-wizard-results-${lang}-${colorScheme}`);
      expect(otherErrors).toEqual([]);
      await other.context().close();
    });
  }
});
