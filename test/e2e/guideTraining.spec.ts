import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { makeCodePackage, makeWeightsFolder } from '../devserver/trainingFiles';
import { launchChromium, openAppPage, saveScreenshot } from '../support/chromium';
import { keyHop, openSession } from '../support/sshTestKit';
import { addAndConnect, runShownAction, scrollToTop } from '../support/sidebarHosts';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';

// A first-time user's path on a simulated DevServer, from connecting to a running training: Step 1
// (an x86 test machine, so "continue anyway"), Step 2 (pull the image, start the container from the
// form), upload the package and the weights, unzip and install, set finetune_ds.sh, start training
// detached, and follow its loss in the loss panel. Step 1's and Step 2's details have their own specs.
let server: SimulatedDevServer;
let app: WebApp;
let browser: Browser;
let page: Page;
let errors: string[];
let home: string;
let local: string;
let zip: string;
let weights: string;
let dataset: string;

const HOST = 'train-node';

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'qvl-train-home-'));
  local = mkdtempSync(join(tmpdir(), 'qvl-train-local-'));
  [server, app, browser] = await Promise.all([startDevServer({ name: 'e2e-training' }), startWebApp({ env: { HOME: home } }), launchChromium()]);
  [zip, weights] = await Promise.all([makeCodePackage(local), makeWeightsFolder(local)]);
  // A dataset as the dataset builder writes it: one grounding sample, its image beside it.
  mkdirSync(join(local, 'dataset', 'images'), { recursive: true });
  copyFileSync(join(__dirname, '../fixtures/images/rgb-12x8.jpg'), join(local, 'dataset', 'images', 'dog.jpg'));
  dataset = join(local, 'dataset', 'train.json');
  const turns = [
    { from: 'user', value: 'Picture 1: <img>images/dog.jpg</img>\n框出图中的狗' },
    { from: 'assistant', value: '<ref>狗</ref><box>(10,20),(500,600)</box>' },
  ];
  writeFileSync(dataset, JSON.stringify([{ id: 'identity_0', conversations: turns }], null, 2));
  ({ page, errors } = await openAppPage(browser, app.url, { tab: 'Guide' }));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.stop();
  for (const dir of [home, local]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const guidePanel = () => page.getByRole('tabpanel', { name: 'Guide' });
const step = (n: number) => guidePanel().getByRole('region', { name: `Step ${n} on ${HOST}` });
const row = (region: Locator, title: string) => region.getByRole('listitem', { name: title, exact: true });
const classOf = async (locator: Locator) => (await locator.getAttribute('class')) ?? '';
const passes = (region: Locator, title: string, timeout = 30_000) => expect.poll(() => classOf(row(region, title)), { timeout }).toContain('wizard-row--pass');

describe('the guide from connecting to a running training', () => {
  it('connects and opens the later steps with the simulated work dir', async () => {
    await addAndConnect(page, HOST, server, 'key');
    // Both dirs the same, as the guide allows: the simulated container runs on the host.
    await guidePanel().getByLabel(/^work_dir/).fill(server.workDir);
    await guidePanel().getByLabel(/^container_work_dir/).fill(server.workDir);
    await guidePanel().getByRole('checkbox', { name: HOST }).check();
    await guidePanel().getByRole('button', { name: 'Run checks' }).click();
    await guidePanel().getByRole('button', { name: 'Run again' }).waitFor({ timeout: 60_000 });
    // The simulated server is a healthy DevServer but for its architecture (a warning): Step 1
    // passes, and Step 2 opens.
    expect(await guidePanel().getByText(/\d+ passed · \d+ warnings? · 0 failed/).count()).toBe(1);
    await saveScreenshot(page, 'guide-first-run-step1-en-light');
    await step(2).waitFor();
  });

  it('Step 2: pulls the guide’s image and starts the container from the form', async () => {
    await guidePanel().getByRole('button', { name: 'Check image and container' }).click();
    await row(step(2), 'Base image').waitFor({ timeout: 30_000 });
    expect(await classOf(row(step(2), 'Base image'))).toContain('wizard-row--fail');
    await step(2).getByRole('button', { name: 'Pull the image' }).click();
    await passes(step(2), 'Base image');
    await step(2).getByRole('button', { name: 'Start the container' }).click();
    const verification = step(2).getByRole('list', { name: `Verification on ${HOST}` });
    await passes(verification, 'NPUs in the container');
    expect(await row(verification, 'Container running').textContent()).toContain('Container qwen-vl is running');
    await scrollToTop(step(2));
    await saveScreenshot(page, 'guide-first-run-step2-en-light');
  });

  it('Step 3: uploads the package, verified, and checks its version', async () => {
    await step(3).waitFor();
    await guidePanel().getByRole('button', { name: 'Check Step 3' }).click();
    await row(step(3), 'Code package').waitFor();
    expect(await classOf(row(step(3), 'Code package'))).toContain('wizard-row--fail');
    await step(3).getByRole('textbox', { name: 'Local AscendCloud-AIGC zip' }).fill(zip);
    await step(3).getByRole('button', { name: `Upload Local AscendCloud-AIGC zip to ${HOST}` }).click();
    await passes(step(3), 'Code package');
    expect(await row(step(3), 'Code package').textContent()).toContain('version 6.3.910 like the image');
  });

  it('Step 4: uploads the weights, unzips and installs with the output streamed, copies modeling_qwen.py', async () => {
    await guidePanel().getByRole('button', { name: 'Check Step 4' }).click();
    await row(step(4), 'Qwen-VL-Chat weights').waitFor();
    expect(await classOf(row(step(4), 'Qwen-VL-Chat weights'))).toContain('wizard-row--fail');
    await step(4).getByRole('textbox', { name: 'Local Qwen-VL-Chat folder' }).fill(weights);
    await step(4).getByRole('button', { name: `Upload Local Qwen-VL-Chat folder to ${HOST}` }).click();
    await passes(step(4), 'Qwen-VL-Chat weights');
    expect(await row(step(4), 'Qwen-VL-Chat weights').textContent()).toContain('the 10 shards match the index');

    await runShownAction(step(4), HOST, 'Unzip and install', 'Unzip the package and install');
    await passes(step(4), 'Unzip the package and install');
    const output = step(4).getByLabel(`Output of Unzip the package and install on ${HOST}`);
    expect(await output.textContent()).toContain("Cloning into 'Qwen-VL'...");
    expect(await output.textContent()).toContain('inflating: multimodal_algorithm/');
    await scrollToTop(row(step(4), 'Unzip the package and install'));
    await saveScreenshot(page, 'guide-step4-installed-en-light');
    await runShownAction(step(4), HOST, 'Copy modeling_qwen.py', 'Replace modeling_qwen.py');
    await passes(step(4), 'Replace modeling_qwen.py');
  });

  it('Step 5: opens the dataset, validates it and uploads it with its image', async () => {
    await guidePanel().getByRole('button', { name: 'Check Step 5' }).click();
    await row(step(5), 'Training dataset').waitFor();
    expect(await classOf(row(step(5), 'Training dataset'))).toContain('wizard-row--fail');
    await step(5).getByRole('textbox', { name: 'Or a dataset JSON file' }).fill(dataset);
    await step(5).getByRole('button', { name: 'Open', exact: true }).click();
    await step(5).getByRole('combobox', { name: 'Dataset open in the dataset builder' }).waitFor();
    await step(5).getByRole('button', { name: `Validate the dataset for ${HOST}` }).click();
    await step(5).getByText('Samples: 1 · errors: 0 · warnings: 0.').waitFor();
    await step(5).getByRole('button', { name: `Upload the dataset with its images to ${HOST}` }).click();
    await passes(step(5), 'Training dataset');
    expect(await row(step(5), 'Training dataset').textContent()).toContain(`${server.workDir}/data/train.json`);
    await scrollToTop(step(5));
    await saveScreenshot(page, 'guide-step5-uploaded-en-light');
  });

  it('Step 6: writes finetune_ds.sh from the form, starts training and follows its loss', async () => {
    await guidePanel().getByRole('button', { name: 'Check Step 6' }).click();
    await row(step(6), 'Training settings').waitFor();
    expect(await classOf(row(step(6), 'Training settings'))).toContain('wizard-row--fail');
    const form = step(6).getByRole('group', { name: `Training settings on ${HOST}` });
    expect(await form.getByLabel('MODEL (weights folder)').inputValue()).toBe(`${server.workDir}/Qwen-VL-Chat`);
    expect(await form.getByLabel('DATA (dataset JSON)').inputValue()).toBe(`${server.workDir}/data/train.json`);
    await form.getByLabel('--num_train_epochs').fill('my epochs');
    await form.getByText('Enter a number, such as 1e-5 or 0.00001.').waitFor();
    expect(await step(6).getByRole('button', { name: `Write finetune_ds.sh on ${HOST}` }).isDisabled()).toBe(true);
    await form.getByLabel('--num_train_epochs').fill('1');
    await form.getByLabel('--save_steps').fill('5');
    // The diff of the script comes first; nothing is written before Run.
    await step(6).getByRole('button', { name: `Write finetune_ds.sh on ${HOST}` }).click();
    const preview = step(6).getByRole('group', { name: `Commands of Training settings on ${HOST}` });
    const diff = preview.getByRole('group', { name: `Changes to ${server.workDir}/Qwen-VL/finetune/finetune_ds.sh on ${HOST}` });
    await diff.waitFor();
    const diffText = (await diff.locator('pre').textContent()) ?? '';
    expect(diffText).toContain('-DATA="path_to_data"');
    expect(diffText).toContain(`+DATA="${server.workDir}/data/train.json"`);
    expect(diffText).toContain('+    --num_train_epochs 1 \\');
    expect(diffText).toContain('+    --save_steps 5 \\');
    expect(await diff.textContent()).toContain('lines removed −4, added +4');
    const unwritten = await openSession([keyHop(server)]);
    try {
      expect((await unwritten.run(sh`grep -c path_to_data ${`${server.workDir}/Qwen-VL/finetune/finetune_ds.sh`}`)).stdout.trim()).toBe('1');
    } finally {
      unwritten.close();
    }
    await scrollToTop(diff);
    await saveScreenshot(page, 'guide-step6-diff-en-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'guide-step6-diff-en-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await preview.getByRole('button', { name: `Run on ${HOST}` }).click();
    await passes(step(6), 'Training settings');
    // Applied again with nothing changed: it says so and has nothing to run.
    await step(6).getByRole('button', { name: `Write finetune_ds.sh on ${HOST}` }).click();
    await preview.getByText(`${server.workDir}/Qwen-VL/finetune/finetune_ds.sh already holds these values: nothing is written.`).waitFor();
    expect(await preview.getByRole('button', { name: `Run on ${HOST}` }).count()).toBe(0);
    await preview.getByText('Nothing to change on the server.').waitFor();

    await runShownAction(step(6), HOST, 'Start training', 'Training run');
    await passes(step(6), 'Training run');
    expect(await row(step(6), 'Training run').textContent()).toContain('Training is running');
    await scrollToTop(row(step(6), 'Training settings'));
    await saveScreenshot(page, 'guide-step6-running-en-light');
    await step(6).getByRole('button', { name: `Follow the loss of the run on ${HOST}` }).click();
    const panel = page.getByRole('complementary', { name: 'Loss' });
    const card = panel.getByRole('list', { name: 'Open runs' }).getByRole('listitem').filter({ hasText: /train-\d{8}-\d{6}\.log/ });
    await card.waitFor();
    await expect.poll(async () => Number(/(\d+) points received/.exec((await card.textContent()) ?? '')?.[1] ?? -1), { timeout: 30_000 }).toBeGreaterThanOrEqual(13);
    await expect.poll(() => page.evaluate(() => Number(document.querySelector<HTMLElement>('.loss-chart')?.dataset.points ?? 0))).toBeGreaterThan(0);
    // The running step is read again by itself until the run ends.
    await expect.poll(async () => row(step(6), 'Training run').textContent(), { timeout: 30_000 }).toContain('Training finished (exit status 0)');
    await saveScreenshot(page, 'guide-step6-following-en-light');
    // What the run wrote: two checkpoints on the way, then the model itself.
    await passes(step(6), 'Trained weights');
    const listing = step(6).getByRole('table', { name: `Output of the training on ${HOST}` });
    const names = await listing.locator('tbody tr td:first-child').allTextContents();
    expect(names).toEqual(['config.json', 'generation_config.json', 'pytorch_model-00001-of-00002.bin', 'pytorch_model-00002-of-00002.bin', 'pytorch_model.bin.index.json', 'qwen.tiktoken', 'special_tokens_map.json', 'tokenizer_config.json', 'training_args.bin', 'checkpoint-5/ (36 files)', 'checkpoint-10/ (36 files)']);
    expect(await listing.locator('tbody tr').nth(2).textContent()).toContain('8.2 kB');
    await scrollToTop(row(step(6), 'Trained weights'));
    await saveScreenshot(page, 'guide-step6-output-en-light');
    expect(errors).toEqual([]);
  });

  it('Step 6: stops a running training after asking, on the server for real', async () => {
    // 3 s a step: the run is still going when Stop is clicked.
    await server.setSwitch('trainingPace', 'slow');
    await runShownAction(step(6), HOST, 'Start training', 'Training run');
    await expect.poll(async () => row(step(6), 'Training run').textContent(), { timeout: 30_000 }).toContain('Training is running');
    const torchrun = () => server.processes().filter((args) => /\btorchrun\b/.test(args));
    expect(torchrun()).toHaveLength(1);
    await guidePanel().getByRole('button', { name: `Stop training on ${HOST}` }).click();
    const confirm = guidePanel().getByRole('group', { name: 'Stop training?' });
    await confirm.getByText('TERM first, KILL to whatever is still running 15 s later').waitFor();
    expect(await confirm.locator('pre').textContent()).toContain('kill -TERM');
    // Asking does not stop anything.
    expect(torchrun()).toHaveLength(1);
    await scrollToTop(confirm);
    await saveScreenshot(page, 'guide-step6-stop-confirm-en-light');
    await confirm.getByRole('button', { name: 'Stop it' }).click();
    await guidePanel().getByText(`${HOST}: stopped (ended on TERM).`).waitFor({ timeout: 30_000 });
    expect(torchrun()).toEqual([]);
    await expect.poll(async () => row(step(6), 'Training run').textContent(), { timeout: 30_000 }).toContain('Training was stopped by you');
    expect(await classOf(row(step(6), 'Training run'))).toContain('wizard-row--warn');
    expect(await guidePanel().getByRole('button', { name: `Stop training on ${HOST}` }).count()).toBe(0);
    await scrollToTop(row(step(6), 'Training run'));
    await saveScreenshot(page, 'guide-step6-stopped-en-light');
    await server.setSwitch('trainingPace', 'normal');
    expect(errors).toEqual([]);
  });

  for (const [lang, colorScheme] of [
    ['zh', 'dark'],
    ['en', 'dark'],
    ['zh', 'light'],
  ] as const) {
    it(`${lang} · ${colorScheme}: shows Steps 3–6 as they were left`, async () => {
      const { page: other, errors: otherErrors } = await openAppPage(browser, app.url, { lang, colorScheme, tab: lang === 'zh' ? '指南' : 'Guide' });
      const panel = other.getByRole('tabpanel', { name: lang === 'zh' ? '指南' : 'Guide' });
      // Every step passed, so all of them are open: nothing to override.
      const region = panel.getByRole('region', { name: lang === 'zh' ? `${HOST} 的第 6 步` : `Step 6 on ${HOST}` });
      await region.getByRole('listitem', { name: lang === 'zh' ? '训练任务' : 'Training run', exact: true }).waitFor();
      await scrollToTop(region);
      await saveScreenshot(other, `guide-step6-${lang}-${colorScheme}`);
      const weights = region.getByRole('listitem', { name: lang === 'zh' ? '训练输出权重' : 'Trained weights', exact: true });
      await region.getByRole('table', { name: lang === 'zh' ? `${HOST} 上训练的输出` : `Output of the training on ${HOST}` }).waitFor();
      await scrollToTop(weights);
      await saveScreenshot(other, `guide-step6-output-${lang}-${colorScheme}`);
      expect(otherErrors).toEqual([]);
      await other.context().close();
    });
  }
});
