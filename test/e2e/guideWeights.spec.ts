import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { SHARDS } from '../../shared/guide/weightsCheck';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { makeCodePackage, startGuideContainer } from '../devserver/trainingFiles';
import { launchChromium, openAppPage, saveScreenshot } from '../support/chromium';
import { keyHop, openSession } from '../support/sshTestKit';
import { addAndConnect, runShownAction, scrollToTop } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// Step 4's weights through the UI on a simulated DevServer: a file put on the host as root fails
// the owner check until the guide's sudo chown runs; the download inside the container fails
// plainly without the internet, then shows each file's bar and passes the weights check.
let server: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;
let local: string;

const HOST = 'weights-node';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-weights-home-'));
  local = mkdtempSync(join(tmpdir(), 'qvl-weights-local-'));
  [server, app, browser] = await Promise.all([startDevServer({ name: 'e2e-weights' }), startWebApp({ env: { HOME: home } }), launchChromium()]);
  const session = await openSession([keyHop(server)]);
  try {
    await startGuideContainer(session, server.workDir);
  } finally {
    session.close();
  }
  ({ page, errors } = await openAppPage(browser, app.url, { tab: 'Guide' }));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.stop();
  for (const dir of [home, local]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const guidePanel = () => page.getByRole('tabpanel', { name: 'Guide' });
const step4 = () => guidePanel().getByRole('region', { name: `Step 4 on ${HOST}` });
const row = (title: string) => step4().getByRole('listitem', { name: title, exact: true });
const classOf = async (locator: Locator) => (await locator.getAttribute('class')) ?? '';
const verdict = (title: string) => expect.poll(async () => /wizard-row--(pass|warn|fail)/.exec(await classOf(row(title)))?.[1], { timeout: 30_000 });

describe('Step 4: the weights', () => {
  it('connects and checks Step 4: no weights yet, the work dir is the container user’s', async () => {
    await addAndConnect(page, HOST, server, 'key');
    await guidePanel().getByLabel(/^work_dir/).fill(server.workDir);
    await guidePanel().getByLabel(/^container_work_dir/).fill(server.workDir);
    await guidePanel().getByRole('button', { name: 'Continue anyway' }).click();
    await guidePanel().getByRole('button', { name: 'Check Step 4' }).click();
    await verdict('Qwen-VL-Chat weights').toBe('fail');
    await verdict('File owner').toBe('pass');
  });

  it('fails the owner check on a file root put there, until the guide’s sudo chown', async () => {
    await server.copyAsRoot(await makeCodePackage(local), server.workDir);
    await guidePanel().getByRole('button', { name: 'Check Step 4' }).click();
    await verdict('File owner').toBe('fail');
    expect(await row('File owner').textContent()).toContain('they were uploaded as root');
    await runShownAction(step4(), HOST, 'Give the files to ma-user', 'File owner', 'sudo chown -R ma-user:ma-group');
    await verdict('File owner').toBe('pass');
  });

  it('says why the download fails without the internet', async () => {
    await server.setSwitch('internet', 'down');
    await runShownAction(step4(), HOST, 'Download in the container', 'Qwen-VL-Chat weights', 'huggingface-cli download Qwen/Qwen-VL-Chat --local-dir');
    const failure = step4().getByRole('alert').filter({ hasText: 'The container cannot reach huggingface.co' });
    await failure.waitFor();
    expect(await classOf(row('Qwen-VL-Chat weights'))).toContain('wizard-row--fail');
    await scrollToTop(row('Qwen-VL-Chat weights'));
    await saveScreenshot(page, 'guide-step4-download-offline-en-light');
  });

  it('downloads in the container with a bar per file, and the weights pass', async () => {
    await server.setSwitch('internet', 'up');
    await runShownAction(step4(), HOST, 'Download in the container', 'Qwen-VL-Chat weights', 'huggingface-cli download Qwen/Qwen-VL-Chat --local-dir');
    await verdict('Qwen-VL-Chat weights').toBe('pass');
    const files = step4().getByRole('list', { name: 'Files' });
    for (const shard of SHARDS) expect(await files.getByRole('progressbar', { name: shard, exact: true }).getAttribute('value')).toBe('1');
    expect(await step4().getByRole('progressbar', { name: `Progress of Qwen-VL-Chat weights on ${HOST}` }).getAttribute('value')).toBe('1');
    expect(await row('Qwen-VL-Chat weights').textContent()).toContain('the 10 shards match the index');
    await scrollToTop(row('Qwen-VL-Chat weights'));
    await saveScreenshot(page, 'guide-step4-downloaded-en-light');
    expect(errors).toEqual([]);
  });
});
