import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetWorkspaceService } from '../../electron/main/services/dataset/workspaceService';
import { WizardService } from '../../electron/main/services/guide/wizardService';
import type { SshSession } from '../../electron/main/services/ssh/sshSession';
import { uploadPath } from '../../electron/main/services/transfer/transferJob';
import { defaultDockerRunOptions } from '../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../shared/guide/guideParams';
import { modelartsQwenVl6310 as guide } from '../../shared/guide/modelartsQwenVl6310';
import type { TrainingForm } from '../../shared/guide/trainingForm';
import { OutputRows } from '../../shared/guide/trainingOutput';
import type { ActionEvent, ActionRequest, ItemResult } from '../../shared/guide/wizardApi';
import { SHARDS } from '../../shared/guide/weightsCheck';
import { sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { makeCodePackage, makeWeightsFolder, startGuideContainer, testTrainingForm } from '../devserver/trainingFiles';
import { keyHop, openSession } from '../support/sshTestKit';

// Steps 3–6 on one simulated DevServer: the package and the weights uploaded (verified), the
// package unzipped and installed in the container with its output streamed, finetune_ds.sh set
// from the form, and training launched detached: it outlives the SSH session that started it.
const HOST = 'host-train-01';
let server: SimulatedDevServer;
let session: SshSession;
let wizard: WizardService;
let local: string;
let params: GuideParams;
let datasets: DatasetWorkspaceService;
const events: ActionEvent[] = [];
const options = defaultDockerRunOptions(guide.dockerRun);

const statusOf = (items: readonly ItemResult[] | undefined, id: string) => items?.find((item) => item.id === id);
const check = async (stepId: string) => (await wizard.check([HOST], stepId, params))[0]?.items ?? [];
const request = (stepId: string, itemId: string, training: TrainingForm | null = null): ActionRequest => ({ hostId: HOST, stepId, itemId, params, options, inputs: { training } });

beforeAll(async () => {
  server = await startDevServer({ name: 'wizard-training' });
  session = await openSession([keyHop(server)]);
  local = mkdtempSync(join(tmpdir(), 'qvl-training-local-'));
  // The guide allows both dirs to be the same ("为方便两个地址可以相同"): container paths then hold on the simulated host too.
  params = { ...guide.defaults, workDir: server.workDir, containerWorkDir: server.workDir };
  datasets = new DatasetWorkspaceService({ dataDir: join(local, 'app-data'), home: local, onChange: () => undefined, onProgress: () => undefined });
  wizard = new WizardService(guide, async () => session, { onActionEvent: (event) => events.push(event), planDataset: (id, dir) => datasets.uploadPlan(id, dir) });
  await startGuideContainer(session, params.workDir);
}, 60_000);
afterAll(async () => {
  session?.close();
  await server?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

describe('Steps 3–4: package, weights, install', () => {
  it('finds no package, then the uploaded zip, verified, of the image’s version', async () => {
    expect(statusOf(await check('code'), 'code-package')?.status).toBe('fail');
    const zip = await makeCodePackage(local);
    const summary = await uploadPath(session, zip, `${params.workDir}/`);
    expect(summary.verified).toBe(true);
    const item = statusOf(await check('code'), 'code-package');
    expect(item?.status).toBe('pass');
    expect(item?.facts?.package).toBe('AscendCloud-AIGC-6.3.910-20241205163201.zip');
  });

  it('checks the uploaded weights against the 10 shards and the index', async () => {
    expect(statusOf(await check('training-env'), 'weights')?.summary.en).toContain('There is no weights folder');
    const weights = await makeWeightsFolder(local);
    expect((await uploadPath(session, weights, `${params.workDir}/`)).verified).toBe(true);
    expect(statusOf(await check('training-env'), 'weights')?.status).toBe('pass');
    expect((await session.run(sh`rm ${`${params.workDir}/Qwen-VL-Chat/${SHARDS[6]}`}`)).code).toBe(0);
    const broken = statusOf(await check('training-env'), 'weights');
    expect(broken?.status).toBe('fail');
    expect(broken?.summary.en).toContain(`missing: ${SHARDS[6]}`);
    // Uploading the folder again skips the identical files and sends only the missing shard.
    const repaired = await uploadPath(session, weights, `${params.workDir}/`);
    expect(repaired.skipped).toBe(repaired.files - 1);
    expect(statusOf(await check('training-env'), 'weights')?.status).toBe('pass');
  });

  it('unzips and installs in the container, each command’s output streamed, then copies modeling_qwen.py', async () => {
    events.length = 0;
    const preview = await wizard.previewAction(request('training-env', 'install'));
    expect(preview.errors).toEqual([]);
    expect(preview.commands.map((command) => command.replace(/^docker exec qwen-vl bash -lc /, ''))).toHaveLength(4);
    expect(preview.commands[0]).toContain('unzip -o');
    expect(preview.commands[0]).toContain('AscendCloud-AIGC-6.3.910-20241205163201.zip');
    const outcome = await wizard.runAction(request('training-env', 'install'));
    expect(outcome.state).toBe('done');
    expect(outcome.commands).toEqual(preview.commands);
    const streamed = (index: number) => events.flatMap((event) => (event.chunk?.command === index ? [event.chunk.text] : [])).join('');
    expect(streamed(0)).toContain('inflating: multimodal_algorithm/QwenVL/train/');
    expect(streamed(3)).toContain("Cloning into 'Qwen-VL'...");
    expect(streamed(3)).toContain('qwen-vl install finished');
    expect(statusOf(outcome.recheck, 'install')?.status).toBe('pass');
    // The guide removes the zip once unpacked: Step 3 still passes.
    expect(statusOf(await check('code'), 'code-package')?.summary.en).toContain('unpacked already');

    expect(statusOf(await check('training-env'), 'modeling')?.status).toBe('fail');
    const copied = await wizard.runAction(request('training-env', 'modeling'));
    expect(copied.state).toBe('done');
    expect(statusOf(copied.recheck, 'modeling')?.status).toBe('pass');
    expect(statusOf(await check('training-env'), 'ownership')?.status).toBe('pass');
  }, 60_000);
});

describe('Step 5: the dataset with its images', () => {
  const image = join(__dirname, '../fixtures/images/rgb-12x8.jpg');
  const sample = (id: string, path: string) => ({
    id,
    conversations: [
      { from: 'user', value: `Picture 1: <img>${path}</img>\n框出图中的狗` },
      { from: 'assistant', value: '<ref>狗</ref><box>(10,20),(500,600)</box>' },
    ],
  });

  it('refuses a dataset with errors before anything is sent', async () => {
    const file = join(local, 'broken', 'train.json');
    mkdirSync(join(local, 'broken'), { recursive: true });
    writeFileSync(file, JSON.stringify([sample('a', 'images/missing.jpg')]));
    const { id } = await datasets.open({ file, autosave: false });
    const outcome = await wizard.uploadDataset({ hostId: HOST, params, workspaceId: id });
    expect(outcome.state).toBe('refused');
    expect(outcome.errors.length).toBeGreaterThan(0);
    expect(statusOf(await check('dataset'), 'dataset')?.status).toBe('fail');
  });

  it('uploads the dataset and its images, the paths rewritten to the container’s', async () => {
    const folder = join(local, 'dataset');
    mkdirSync(join(folder, 'images'), { recursive: true });
    copyFileSync(image, join(folder, 'images', 'dog.jpg'));
    writeFileSync(join(folder, 'train.json'), JSON.stringify([sample('a', 'images/dog.jpg'), sample('b', image)], null, 2));
    const { id } = await datasets.open({ file: join(folder, 'train.json'), autosave: false });
    expect((await datasets.validate(id)).errors).toBe(0);
    events.length = 0;
    const outcome = await wizard.uploadDataset({ hostId: HOST, params, workspaceId: id });
    expect(outcome.state).toBe('done');
    expect(events.some((event) => (event.action.progress?.fraction ?? 0) > 0 && (event.action.progress?.fraction ?? 1) < 1)).toBe(true);
    const item = statusOf(outcome.recheck, 'dataset');
    expect(item?.status).toBe('pass');
    expect(item?.facts?.dataset).toBe(`${params.containerWorkDir}/data/train.json`);
    const uploaded = JSON.parse((await session.run(sh`cat ${`${params.workDir}/data/train.json`}`)).stdout) as ReturnType<typeof sample>[];
    const paths = uploaded.map((entry) => /<img>(.*)<\/img>/.exec(entry.conversations[0]?.value ?? '')?.[1]);
    expect(paths).toEqual([`${params.containerWorkDir}/data/images/dog.jpg`, `${params.containerWorkDir}/data/images/rgb-12x8.jpg`]);
    const listed = await session.run(sh`ls ${`${params.workDir}/data/images`}`);
    expect(listed.stdout.split('\n').filter(Boolean).sort()).toEqual(['dog.jpg', 'rgb-12x8.jpg']);
  });
});

describe('Step 6: the script and a detached run', () => {
  const form = (): TrainingForm => testTrainingForm(params.containerWorkDir);
  const status = async () => statusOf(await check('training'), 'run');

  it('refuses to launch with the script’s placeholders, then writes only the changed values', async () => {
    const script = statusOf(await check('training'), 'script');
    expect(script?.status).toBe('fail');
    expect(script?.facts).toMatchObject({ model: 'Qwen/Qwen-VL-Chat', data: 'path_to_data', autoPrefetchBucket: 'true' });
    expect((await wizard.runAction(request('training', 'run'))).state).toBe('refused');

    const outcome = await wizard.runAction(request('training', 'script', form()));
    expect(outcome.state).toBe('done');
    expect(outcome.commands).toHaveLength(2);
    const after = statusOf(outcome.recheck, 'script');
    expect(after?.status).toBe('pass');
    expect(after?.facts).toMatchObject({ model: form().model, epochs: '1', autoPrefetchBucket: 'false' });
    const diff = await session.run(sh`cd ${`${params.workDir}/Qwen-VL/finetune`} && diff finetune_ds.sh.qvl-orig finetune_ds.sh`);
    expect(diff.stdout.split('\n').filter((line) => /^[<>]/.test(line))).toEqual([
      '< MODEL="Qwen/Qwen-VL-Chat" #"Qwen/Qwen-VL-Chat"/"Qwen/Qwen-VL" # Set the path if you do not want to load from huggingface directly',
      `> MODEL="${form().model}" #"Qwen/Qwen-VL-Chat"/"Qwen/Qwen-VL" # Set the path if you do not want to load from huggingface directly`,
      '< DATA="path_to_data"',
      `> DATA="${form().data}"`,
      '<     --num_train_epochs 5 \\',
      '>     --num_train_epochs 1 \\',
    ]);
    // Nothing left to change: no command.
    expect((await wizard.previewAction(request('training', 'script', form()))).commands).toEqual([]);
  });

  it('launches detached: the run outlives its SSH session and ends with exit 0', async () => {
    const launched = await wizard.runAction(request('training', 'run'));
    expect(launched.state).toBe('done');
    const running = statusOf(launched.recheck, 'run');
    expect(running?.facts?.state).toBe('running');
    expect(running?.facts?.hostLog).toMatch(new RegExp(`^${params.workDir}/Qwen-VL/log_dir/train-\\d{8}-\\d{6}\\.log$`));
    // A second launch is refused while it runs.
    expect((await wizard.previewAction(request('training', 'run'))).errors[0]?.message.en).toContain('running already');

    session.close();
    session = await openSession([keyHop(server)]);
    expect((await status())?.facts?.state).toBe('running');
    await expect.poll(async () => (await status())?.facts?.state, { timeout: 20_000, interval: 500 }).toBe('exited');
    const done = await status();
    expect(done).toMatchObject({ status: 'pass', facts: { exitCode: '0' } });
    const log = await session.run(sh`cat ${done?.facts?.hostLog ?? ''}`);
    expect(log.stdout.match(/'loss':/g)).toHaveLength(13);
  }, 40_000);

  it('reports an NPU OOM run as failed, with its signature explained', async () => {
    await server.setSwitch('training', 'oom');
    expect((await wizard.runAction(request('training', 'run'))).state).toBe('done');
    await expect.poll(async () => (await status())?.facts?.state, { timeout: 20_000, interval: 500 }).toBe('exited');
    const failed = await status();
    expect(failed?.status).toBe('fail');
    expect(failed?.facts).toMatchObject({ exitCode: '1', failure: 'npu-oom' });
    expect(failed?.summary.en).toMatch(/^Training failed \(exit status 1\)\. The NPU ran out of memory/);
    expect(failed?.evidence).toContain('RuntimeError: NPU out of memory');
  }, 40_000);

  it('shows what a form change does to the script as a diff, and writes nothing else than what was shown', async () => {
    // The finished run of the first launch left the model at the top of output_qwen.
    expect(statusOf(await check('training'), 'output')).toMatchObject({ status: 'pass', summary: { en: expect.stringContaining('output_qwen: full weights (2 files, 0.0 GB); no checkpoint.') } });
    const script = `${params.workDir}/Qwen-VL/finetune/finetune_ds.sh`;
    const changed = { ...form(), saveSteps: '2', outputDir: 'output_sim' };
    const preview = await wizard.previewAction(request('training', 'script', changed));
    expect(preview.errors).toEqual([]);
    const lines = preview.changes?.flatMap((change) => change.hunks.flatMap((hunk) => hunk.lines.filter((line) => line.kind !== 'context').map((line) => `${line.kind === 'added' ? '+' : '-'}${line.text}`)));
    expect(preview.changes?.map((change) => change.path)).toEqual([`${params.containerWorkDir}/Qwen-VL/finetune/finetune_ds.sh`]);
    expect(lines).toEqual(['-    --output_dir output_qwen \\', '+    --output_dir output_sim \\', '-    --save_steps 1000 \\', '+    --save_steps 2 \\']);

    // Someone edits the script by hand after the diff was shown: the shown commands are refused, nothing is written.
    expect((await session.run(sh`printf '# edited by hand\n' >> ${script}`)).code).toBe(0);
    const refused = await wizard.runAction({ ...request('training', 'script', changed), confirmed: preview.commands });
    expect(refused.state).toBe('refused');
    expect(refused.errors[0]?.message.en).toContain('The server changed since you looked');
    expect((await session.run(sh`grep -c -e '--save_steps 1000' ${script}`)).stdout.trim()).toBe('1');

    const again = await wizard.previewAction(request('training', 'script', changed));
    const written = await wizard.runAction({ ...request('training', 'script', changed), confirmed: again.commands });
    expect(written.state).toBe('done');
    expect((await session.run(sh`tail -n 1 ${script}`)).stdout).toBe('# edited by hand\n');
    // Nothing left to change: the preview says the file stays as it is, and there is no command.
    const unchanged = await wizard.previewAction(request('training', 'script', changed));
    expect(unchanged.commands).toEqual([]);
    expect(unchanged.changes).toEqual([{ path: `${params.containerWorkDir}/Qwen-VL/finetune/finetune_ds.sh`, hunks: [] }]);
  });

  it('lists the checkpoints as they are saved, and Stop ends the run: torchrun is gone and the status says who stopped it', async () => {
    await server.setSwitch('training', 'ok');
    // 3 s a step: the run is still going when it is looked into and stopped.
    await server.setSwitch('trainingPace', 'slow');
    const output = async () => statusOf(await check('training'), 'output');
    expect((await output())?.status).toBe('fail');
    expect((await wizard.runAction(request('training', 'run'))).state).toBe('done');
    await expect.poll(async () => (await output())?.summary.en, { timeout: 30_000, interval: 1000 }).toMatch(/checkpoints? \(the latest checkpoint-\d+\)/);
    const during = await output();
    expect(during?.status).toBe('warn');
    const rows = OutputRows.parse(JSON.parse(during?.facts?.listing ?? '[]'));
    expect(rows[0]).toMatchObject({ name: 'checkpoint-2/', files: 8 * 3 + 12 });
    const listed = await session.run(sh`ls ${`${params.workDir}/Qwen-VL/output_sim/checkpoint-2`}`);
    expect(listed.stdout.split('\n')).toEqual(expect.arrayContaining(['global_step2', 'latest', 'trainer_state.json', 'pytorch_model-00001-of-00002.bin', 'pytorch_model.bin.index.json', 'zero_to_fp32.py']));
    const state = JSON.parse((await session.run(sh`cat ${`${params.workDir}/Qwen-VL/output_sim/checkpoint-2/trainer_state.json`}`)).stdout) as { global_step: number; log_history: { step: number; loss: number }[] };
    expect(state.global_step).toBe(2);
    expect(state.log_history.map((entry) => entry.step)).toEqual([1, 2]);

    const torchrun = () => server.processes().filter((args) => /\btorchrun\b/.test(args));
    expect(torchrun()).toHaveLength(1);
    expect(wizard.previewStop({ hostId: HOST, params }).command).toMatch(/^docker exec +'qwen-vl' bash -lc '.*kill -TERM/);
    const stopped = await wizard.stopTraining({ hostId: HOST, params });
    expect(stopped).toMatchObject({ outcome: 'terminated', code: 0 });
    expect(torchrun()).toEqual([]);
    expect(server.processes().filter((args) => args.includes('qvl-train'))).toEqual([]);

    const run = await status();
    expect(run?.status).toBe('warn');
    expect(run?.facts?.state).toBe('stopped');
    expect(run?.summary.en).toMatch(/^Training was stopped by you/);
    const log = await session.run(sh`cat ${run?.facts?.hostLog ?? ''}`);
    expect(log.stdout).toContain('SignalException: Process');
    // No final model: only the checkpoints saved before the stop.
    expect((await output())?.summary.en).toContain('the final model is written when training ends');
    expect((await wizard.stopTraining({ hostId: HOST, params })).outcome).toBe('none');
    await server.setSwitch('trainingPace', 'normal');
  }, 90_000);

  it('explains a run an offline server ends at the SimSun.ttf download, and copying the font from the weights fixes it', async () => {
    await server.setSwitch('internet', 'down');
    // The earlier runs were online: the tokenizer downloaded the font into Qwen-VL/, as the real one does.
    expect((await session.run(sh`rm ${`${params.workDir}/Qwen-VL/SimSun.ttf`}`)).code).toBe(0);
    const font = async () => statusOf(await check('training'), 'font');
    expect(await font()).toMatchObject({ status: 'warn', facts: { weightsHasFont: 'true' } });
    expect((await font())?.summary.en).toContain(`It can be copied from ${params.containerWorkDir}/Qwen-VL-Chat/SimSun.ttf.`);

    expect((await wizard.runAction(request('training', 'run'))).state).toBe('done');
    await expect.poll(async () => (await status())?.facts?.state, { timeout: 20_000, interval: 500 }).toBe('exited');
    const failed = await status();
    expect(failed?.facts).toMatchObject({ exitCode: '1', failure: 'simsun-download' });
    expect(failed?.summary.en).toContain('this server cannot reach the internet');
    expect(failed?.evidence).toContain('Max retries exceeded with url: /Qwen-VL/assets/SimSun.ttf');

    const copied = await wizard.runAction(request('training', 'font'));
    expect(copied.state).toBe('done');
    expect(statusOf(copied.recheck, 'font')?.status).toBe('pass');
    expect((await wizard.runAction(request('training', 'run'))).state).toBe('done');
    await expect.poll(async () => (await status())?.facts?.state, { timeout: 20_000, interval: 500 }).toBe('exited');
    expect((await status())?.facts?.exitCode).toBe('0');
    await server.setSwitch('internet', 'up');
  }, 60_000);
});
