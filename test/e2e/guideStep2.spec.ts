import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildDockerRun, defaultDockerRunOptions } from '../../shared/guide/dockerRunForm';
import { modelartsQwenVl6310 as guide } from '../../shared/guide/modelartsQwenVl6310';
import { sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { launchChromium, openAppPage, saveScreenshot } from '../support/chromium';
import { keyHop, openSession } from '../support/sshTestKit';
import { addAndConnect, connectHost, scrollToTop } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// Step 2 of the guide on two DevServers at once: a fresh one, where the image is pulled and the
// container started and verified; and one where another container already holds /dev/davinci3.
let fresh: SimulatedDevServer;
let shared: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;
let dataDir: string;

const FRESH = 'npu-fresh';
const SHARED = 'npu-shared';
const IMAGE = guide.defaults.image;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-step2-home-'));
  dataDir = mkdtempSync(join(tmpdir(), 'qvl-step2-data-'));
  [fresh, shared, app, browser] = await Promise.all([
    startDevServer({ name: 'step2-fresh' }),
    startDevServer({ name: 'step2-shared' }),
    startWebApp({ env: { HOME: home }, dataDir }),
    launchChromium(),
  ]);
  // Someone else's job already runs on the shared server, on card 3.
  const session = await openSession([keyHop(shared)]);
  try {
    expect((await session.run(sh`docker pull ${IMAGE}`)).code).toBe(0);
    expect((await session.run(sh`docker run -itd --device=/dev/davinci3 --name other_job ${IMAGE} /bin/bash`)).code).toBe(0);
  } finally {
    session.close();
  }
  ({ page, errors } = await openPage('en', 'light'));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await Promise.all([fresh?.stop(), shared?.stop()]);
  for (const dir of [home, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPage(lang: 'en' | 'zh', colorScheme: 'light' | 'dark', on: WebApp = app): Promise<{ page: Page; errors: string[] }> {
  return openAppPage(browser, on.url, { lang, colorScheme, width: 1400, height: 900, tab: lang === 'zh' ? '指南' : 'Guide' });
}

const guidePanel = (on: Page = page, name = 'Guide') => on.getByRole('tabpanel', { name });
const stepTwo = (host: string, on: Page = page, lang: 'en' | 'zh' = 'en') => guidePanel(on, lang === 'zh' ? '指南' : 'Guide').getByRole('region', { name: lang === 'zh' ? `${host} 的第 2 步` : `Step 2 on ${host}` });
const row = (region: Locator, title: string) => region.getByRole('listitem', { name: title, exact: true });

async function classOf(locator: Locator): Promise<string> {
  return (await locator.getAttribute('class')) ?? '';
}

describe('Step 2 of the guide on two DevServers', () => {
  it('opens Step 2 for both connected DevServers', async () => {
    await addAndConnect(page, FRESH, fresh, 'password');
    await addAndConnect(page, SHARED, shared, 'password');
    // The simulated servers are x86 test machines, so Step 1 cannot pass: go on anyway.
    await guidePanel().getByRole('button', { name: 'Continue anyway' }).click();
    await stepTwo(FRESH).waitFor();
    await stepTwo(SHARED).waitFor();
    await guidePanel().getByRole('button', { name: 'Check image and container' }).click();
    await row(stepTwo(FRESH), 'Base image').waitFor({ timeout: 30_000 });
    expect(await classOf(row(stepTwo(FRESH), 'Base image'))).toContain('wizard-row--fail');
    await row(stepTwo(SHARED), 'Base image').waitFor();
    expect(await classOf(row(stepTwo(SHARED), 'Base image'))).toContain('wizard-row--pass');
  });

  it('pulls the image with a bar per layer and one in total', async () => {
    const region = stepTwo(FRESH);
    const command = region.getByLabel(`Pull command on ${FRESH}`);
    await command.waitFor();
    expect(await command.textContent()).toBe(`script -q -e -f -c 'docker pull '\\''${IMAGE}'\\''' /dev/null`);
    await region.getByRole('button', { name: 'Pull the image' }).click();
    const total = region.getByRole('progressbar', { name: `Pull progress on ${FRESH}` });
    await expect.poll(async () => Number(await total.getAttribute('value')), { timeout: 20_000, interval: 50 }).toBeGreaterThan(0.15);
    const value = Number(await total.getAttribute('value'));
    expect(value).toBeLessThan(1);
    const layers = region.getByRole('list', { name: 'Image layers' }).getByRole('progressbar');
    expect(await layers.count()).toBe(4);
    await expect.poll(() => region.getByText(/Downloading · [\d.]+ (kB|MB) of [\d.]+ MB/).count(), { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
    await scrollToTop(region);
    await saveScreenshot(page, 'guide-step2-pulling-en-light');
    await expect.poll(async () => classOf(row(region, 'Base image')), { timeout: 30_000 }).toContain('wizard-row--pass');
    expect(await row(region, 'Base image').textContent()).toContain('The image is on the server');
  });

  it('explains a bad container name and a container dir over /home/ma-user under their fields', async () => {
    const region = stepTwo(FRESH);
    const name = region.getByLabel(/^container_name/);
    const dir = region.getByLabel(/^container_work_dir/);
    await name.fill('qwen vl');
    await region.getByText('A container name starts with a letter or digit').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await region.getByRole('button', { name: 'Start the container' }).isDisabled()).toBe(true);
    await dir.fill('/home/ma-user');
    await region.getByText('The container cannot mount over /home/ma-user, the home of the ma-user user').waitFor();
    await scrollToTop(region.getByRole('group', { name: 'The container (docker run)' }));
    await saveScreenshot(page, 'guide-step2-form-errors-en-light');
    await name.fill('qwen-vl');
    await dir.fill('/home/ma-user/ws');
    expect(await region.getByText('The container cannot mount over /home/ma-user, the home of the ma-user user').count()).toBe(0);
  });

  it('refuses a card another container holds on the shared server, and shows the command once it is unticked', async () => {
    const region = stepTwo(SHARED);
    const card = region.getByRole('checkbox', { name: 'davinci3' });
    await region.getByText('/dev/davinci3 is held by container other_job').waitFor({ timeout: 15_000 });
    expect(await card.getAttribute('aria-invalid')).toBe('true');
    expect(await region.getByRole('button', { name: 'Start the container' }).isDisabled()).toBe(true);
    await card.uncheck();
    const command = region.getByLabel(`docker run command on ${SHARED}`);
    await command.waitFor();
    expect(await command.textContent()).toBe(buildDockerRun({ ...guide.defaults, ...defaultDockerRunOptions(guide.dockerRun), npus: [0, 1, 2, 4, 5, 6, 7] }).text);
  });

  it('previews the exact docker run, starts it and shows the verification with evidence', async () => {
    const region = stepTwo(FRESH);
    const command = region.getByLabel(`docker run command on ${FRESH}`);
    await command.waitFor();
    expect(await command.textContent()).toBe(buildDockerRun({ ...guide.defaults, ...defaultDockerRunOptions(guide.dockerRun) }).text);
    await scrollToTop(region.getByRole('heading', { name: 'The exact command' }));
    await saveScreenshot(page, 'guide-step2-preview-en-light');
    await region.getByRole('button', { name: 'Start the container' }).click();
    const verification = region.getByRole('list', { name: `Verification on ${FRESH}` });
    await expect.poll(async () => classOf(row(verification, 'NPUs in the container')), { timeout: 30_000 }).toContain('wizard-row--pass');
    expect(await classOf(row(verification, 'Container running'))).toContain('wizard-row--pass');
    expect(await row(verification, 'Container running').textContent()).toContain('Container qwen-vl is running: 8 NPUs, 64g of shared memory, host network.');
    await row(verification, 'NPUs in the container').getByText('Evidence').click();
    expect(await row(verification, 'NPUs in the container').locator('pre').textContent()).toContain('npu-smi 25.0.rc1.1');
    expect(await region.getByLabel(`Output on ${FRESH}`).textContent()).toMatch(/^[0-9a-f]{64}\s*$/);
    await scrollToTop(region.getByRole('heading', { name: 'Verification' }));
    await saveScreenshot(page, 'guide-step2-verified-en-light');
  });

  it('starts the shared server’s container on the seven free cards', async () => {
    const region = stepTwo(SHARED);
    await region.getByRole('button', { name: 'Start the container' }).click();
    const verification = region.getByRole('list', { name: `Verification on ${SHARED}` });
    await expect.poll(async () => classOf(row(verification, 'NPUs in the container')), { timeout: 30_000 }).toContain('wizard-row--pass');
    expect(await row(verification, 'Container running').textContent()).toContain('7 NPUs');
  });

  it('opens the container’s shell in the terminal', async () => {
    await stepTwo(FRESH).getByRole('button', { name: `Open a shell in qwen-vl on ${FRESH}` }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Terminal' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Guide' }).click();
    const snapshot = await page.locator('body').ariaSnapshot();
    expect(snapshot).not.toMatch(/- (button|checkbox|combobox|tab|separator|link|textbox|progressbar)\s*$/m);
    expect(errors).toEqual([]);
  });

  for (const [lang, colorScheme] of [
    ['zh', 'dark'],
    ['en', 'dark'],
    ['zh', 'light'],
  ] as const) {
    it(`${lang} · ${colorScheme}: a new window shows where each host is, without checking again`, async () => {
      const { page: other, errors: otherErrors } = await openPage(lang, colorScheme);
      await guidePanel(other, lang === 'zh' ? '指南' : 'Guide')
        .getByRole('button', { name: lang === 'zh' ? '仍然继续' : 'Continue anyway' })
        .click();
      const region = stepTwo(FRESH, other, lang);
      const verification = region.getByRole('list', { name: lang === 'zh' ? `${FRESH} 上的验证` : `Verification on ${FRESH}` });
      await row(verification, lang === 'zh' ? '容器内的 NPU' : 'NPUs in the container').waitFor();
      expect(await classOf(row(verification, lang === 'zh' ? '容器内的 NPU' : 'NPUs in the container'))).toContain('wizard-row--pass');
      await scrollToTop(region);
      await saveScreenshot(other, `guide-step2-verified-${lang}-${colorScheme}`);
      expect(otherErrors).toEqual([]);
      await other.context().close();
    });
  }

  it('shows each host’s Step 2 again after the app restarts', async () => {
    await app.stop();
    app = await startWebApp({ env: { HOME: home }, dataDir });
    const { page: restarted, errors: restartErrors } = await openPage('en', 'light', app);
    await connectHost(restarted, FRESH, fresh, 'password', false);
    await connectHost(restarted, SHARED, shared, 'password', false);
    // Step 1 comes back as it was checked (not at all here), so the later steps still wait.
    await guidePanel(restarted).getByRole('button', { name: 'Continue anyway' }).click();
    for (const host of [FRESH, SHARED]) {
      const verification = stepTwo(host, restarted).getByRole('list', { name: `Verification on ${host}` });
      await row(verification, 'Container running').waitFor();
      expect(await classOf(row(verification, 'Container running'))).toContain('wizard-row--pass');
    }
    // The shared server's answers are its own: card 3 stays unticked.
    await stepTwo(SHARED, restarted).getByText('Start another container').click();
    expect(await stepTwo(SHARED, restarted).getByRole('checkbox', { name: 'davinci3' }).isChecked()).toBe(false);
    expect(await stepTwo(FRESH, restarted).getByRole('checkbox', { name: 'davinci3', includeHidden: true }).isChecked()).toBe(true);
    expect(restartErrors).toEqual([]);
    await restarted.context().close();
  });
});
