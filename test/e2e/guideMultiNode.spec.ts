import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { uploadPath } from '../../electron/main/services/transfer/transferJob';
import { INSTALL_SCRIPT } from '../../shared/guide/workPaths';
import { sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { makeCodePackage, makeWeightsFolder, startGuideContainer } from '../devserver/trainingFiles';
import { launchChromium, openAppPage, saveScreenshot } from '../support/chromium';
import { keyHop, openSession } from '../support/sshTestKit';
import { addAndConnect, runShownAction, scrollToTop } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// Step 6 on two simulated DevServers training one model, driven through the UI: both connected in
// the sidebar, each script written with NNODES=2, its own NODE_RANK and the first host as master,
// both runs started, and "Follow the loss" taking the loss panel to the last rank's log (the only
// one the simulated torchrun prints the loss in, as the guide says), whichever node it is asked on.
// Steps 2–5 are done over SSH beforehand: guideTraining.spec.ts drives them through the UI.
const NAMES = ['node-a', 'node-b'] as const;
let servers: SimulatedDevServer[];
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;
let local: string;

/** Steps 2–5 on one server: container, package installed, weights, a dataset file. */
async function prepare(server: SimulatedDevServer, zip: string, weights: string): Promise<void> {
  const session = await openSession([keyHop(server)]);
  try {
    const dir = server.workDir;
    const run = async (command: ReturnType<typeof sh>) => expect((await session.run(command)).code).toBe(0);
    await startGuideContainer(session, dir);
    expect((await uploadPath(session, zip, `${dir}/`)).verified).toBe(true);
    expect((await uploadPath(session, weights, `${dir}/`)).verified).toBe(true);
    await run(sh`cd ${dir} && unzip -q -o ${zip.slice(zip.lastIndexOf('/') + 1)} && bash ${INSTALL_SCRIPT} > /dev/null`);
    await run(sh`mkdir -p ${`${dir}/data`} && echo [] > ${`${dir}/data/train.json`}`);
  } finally {
    session.close();
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-multinode-home-'));
  local = mkdtempSync(join(tmpdir(), 'qvl-multinode-local-'));
  const started = Promise.all(NAMES.map((name) => startDevServer({ name: `e2e-${name}` })));
  [servers, app, browser] = await Promise.all([started, startWebApp({ env: { HOME: home } }), launchChromium()]);
  const [zip, weights] = await Promise.all([makeCodePackage(local), makeWeightsFolder(local)]);
  await Promise.all(servers.map((server) => prepare(server, zip, weights)));
  ({ page, errors } = await openAppPage(browser, app.url, { tab: 'Guide' }));
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await Promise.all((servers ?? []).map((server) => server.stop()));
  for (const dir of [home, local]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const serverOf = (name: (typeof NAMES)[number]) => servers[NAMES.indexOf(name)] as SimulatedDevServer;
const guidePanel = () => page.getByRole('tabpanel', { name: 'Guide' });
const step6 = (host: string) => guidePanel().getByRole('region', { name: `Step 6 on ${host}` });
const row = (region: Locator, title: string) => region.getByRole('listitem', { name: title, exact: true });
const classOf = async (locator: Locator) => (await locator.getAttribute('class')) ?? '';
const stepOneParams = () => guidePanel().getByRole('group', { name: 'The guide’s parameters' });
const pick = (host: string) => guidePanel().getByRole('group', { name: 'DevServers to check' }).getByRole('checkbox', { name: host, exact: true });

/** Asks for an item's commands on one host, then runs them as shown. */
describe('Step 6 on two DevServers', () => {
  it('connects both and gives each its own work dir (they are folders of one test machine)', async () => {
    for (const name of NAMES) await addAndConnect(page, name, serverOf(name), 'key');
    await guidePanel().getByRole('button', { name: 'Continue anyway' }).click();
    // A cluster's nodes usually share their paths; these cannot, so each is checked once alone
    // with its own, which the wizard then keeps for it.
    for (const name of NAMES) {
      for (const other of NAMES) await pick(other).setChecked(other === name);
      await stepOneParams().getByLabel(/^work_dir/).fill(serverOf(name).workDir);
      await stepOneParams().getByLabel(/^container_work_dir/).fill(serverOf(name).workDir);
      await guidePanel().getByRole('button', { name: 'Check Step 6' }).click();
      await row(step6(name), 'Training settings').waitFor();
    }
    await pick('node-a').setChecked(true);
    for (const name of NAMES) expect(await step6(name).getByLabel('MODEL (weights folder)').inputValue()).toBe(`${serverOf(name).workDir}/Qwen-VL-Chat`);
  });

  it('writes NNODES=2, each node’s rank and the first node as master into both scripts', async () => {
    expect(await guidePanel().getByLabel('MASTER_ADDR of the first DevServer').inputValue()).toBe(serverOf('node-a').host);
    for (const [rank, name] of NAMES.entries()) {
      const form = step6(name).getByRole('group', { name: `Training settings on ${name}` });
      expect(await form.getByLabel('NNODES').inputValue()).toBe('2');
      expect(await form.getByLabel('NODE_RANK').inputValue()).toBe(String(rank));
      expect(await form.getByLabel('MASTER_ADDR', { exact: true }).inputValue()).toBe(serverOf('node-a').host);
      await form.getByLabel('--num_train_epochs').fill('1');
      await runShownAction(step6(name), name, 'Write finetune_ds.sh', 'Training settings');
      await expect.poll(() => classOf(row(step6(name), 'Training settings')), { timeout: 30_000 }).toContain('wizard-row--pass');
      expect(await row(step6(name), 'Training settings').textContent()).toContain('finetune_ds.sh is set');
    }
  });

  it('starts both runs; the first node’s row says the loss is on the last rank and follows it there', async () => {
    // The last rank first: its torchrun waits for the master, as it would on a cluster.
    for (const name of [...NAMES].reverse()) {
      await runShownAction(step6(name), name, 'Start training', 'Training run');
      await expect.poll(async () => row(step6(name), 'Training run').textContent(), { timeout: 30_000 }).toContain('Training is running');
    }
    const first = step6('node-a');
    await first.getByText('The guide says the training log is printed on the last rank node: that is node-b (NODE_RANK 1 of NNODES 2), so the loss is followed there.', { exact: false }).waitFor();
    await step6('node-b').getByText('This node is the last rank (NODE_RANK 1 of NNODES 2).', { exact: false }).waitFor();
    await scrollToTop(row(first, 'Training run'));
    await saveScreenshot(page, 'guide-multinode-running-en-light');

    await first.getByRole('button', { name: 'Follow the loss on node-b, the last rank' }).click();
    const panel = page.getByRole('complementary', { name: 'Loss' });
    const card = panel.getByRole('list', { name: 'Open runs' }).getByRole('listitem').filter({ hasText: `node-b:${serverOf('node-b').workDir}/Qwen-VL/log_dir/` });
    await card.waitFor();
    await expect.poll(async () => Number(/(\d+) points received/.exec((await card.textContent()) ?? '')?.[1] ?? -1), { timeout: 30_000 }).toBeGreaterThanOrEqual(13);
    await expect.poll(() => page.evaluate(() => Number(document.querySelector<HTMLElement>('.loss-chart')?.dataset.points ?? 0))).toBeGreaterThan(0);
    for (const name of NAMES) await expect.poll(async () => row(step6(name), 'Training run').textContent(), { timeout: 40_000 }).toContain('Training finished (exit status 0)');
    await saveScreenshot(page, 'guide-multinode-following-en-light');
  });

  it('finds no loss in the first node’s own log', async () => {
    await step6('node-a').getByRole('button', { name: 'Follow the log of the run on node-a itself' }).click();
    const card = page.getByRole('complementary', { name: 'Loss' }).getByRole('listitem').filter({ hasText: `node-a:${serverOf('node-a').workDir}/Qwen-VL/log_dir/` });
    // Live and no longer catching up: the whole log is read (the run has ended), and not one point is in it.
    await card.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => card.getByRole('progressbar').count(), { timeout: 20_000 }).toBe(0);
    expect(await card.textContent()).toContain('0 points received');
    expect(await card.textContent()).toContain('No loss:');
    await saveScreenshot(page, 'guide-multinode-rank0-log-en-light');
    expect(errors).toEqual([]);
  });

  it('zh · dark: says the same about the last rank', async () => {
    const { page: other, errors: otherErrors } = await openAppPage(browser, app.url, { lang: 'zh', colorScheme: 'dark', tab: '指南' });
    const panel = other.getByRole('tabpanel', { name: '指南' });
    await panel.getByRole('button', { name: '仍然继续' }).click();
    const region = panel.getByRole('region', { name: 'node-a 的第 6 步' });
    await region.getByText('文档说明训练日志会在最后的Rank节点打印：即 node-b', { exact: false }).waitFor();
    await scrollToTop(region.getByRole('listitem', { name: '训练任务', exact: true }));
    await saveScreenshot(other, 'guide-multinode-zh-dark');
    expect(otherErrors).toEqual([]);
    await other.context().close();
  });
});
