import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WizardProgressStore } from '../../electron/main/services/guide/wizardProgressStore';
import { WizardService } from '../../electron/main/services/guide/wizardService';
import type { SshSession } from '../../electron/main/services/ssh/sshSession';
import { buildDockerRun, defaultDockerRunOptions } from '../../shared/guide/dockerRunForm';
import type { DockerRunOptions } from '../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../shared/guide/guideParams';
import { modelartsQwenVl6310 } from '../../shared/guide/modelartsQwenVl6310';
import type { ActionEvent, ActionRequest, ItemResult } from '../../shared/guide/wizardApi';
import { sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { keyHop, openSession } from '../support/sshTestKit';

let good: SimulatedDevServer;
let bad: SimulatedDevServer;
const sessions = new Map<string, SshSession>();
let wizard: WizardService;
const params = modelartsQwenVl6310.defaults;

beforeAll(async () => {
  [good, bad] = await Promise.all([startDevServer({ name: 'wizard-good' }), startDevServer({ name: 'wizard-bad', dockerDaemon: 'down', npu: 'alarm' })]);
  sessions.set('host-good-01', await openSession([keyHop(good)]));
  sessions.set('host-bad-001', await openSession([keyHop(bad)]));
  wizard = new WizardService(modelartsQwenVl6310, async (id) => {
    const session = sessions.get(id);
    if (!session) throw new Error(`no session for ${id}`);
    return session;
  });
});
afterAll(async () => {
  for (const session of sessions.values()) session.close();
  await Promise.all([good?.stop(), bad?.stop()]);
});

describe('the wizard service', () => {
  it('describes the guide without its functions, every Step 1 item with zh and en text', () => {
    const view = wizard.view();
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    const step = view.steps[0];
    expect(step?.items.map((item) => item.id)).toEqual(expect.arrayContaining(['ssh', 'npu-cards', 'docker-daemon', 'ip-forward', 'metadata-guard']));
    for (const item of step?.items ?? []) expect(item.explanation.zh.length && item.explanation.en.length).toBeTruthy();
  });

  it('checks Step 1 on two hosts side by side, with the evidence behind each verdict', async () => {
    const [first, second] = await wizard.check(['host-good-01', 'host-bad-001'], 'environment', params);
    const status = (result: typeof first, id: string) => result?.items.find((item) => item.id === id)?.status;
    expect(first?.error).toBeNull();
    expect(status(first, 'npu-health')).toBe('pass');
    expect(status(first, 'docker-daemon')).toBe('pass');
    expect(status(second, 'npu-health')).toBe('fail');
    expect(status(second, 'docker-daemon')).toBe('fail');
    expect(second?.items.find((item) => item.id === 'npu-health')?.evidence).toMatch(/Alarm/);
  });

  it('shows a fix exactly as it will run, runs it through sudo as the non-root login, and checks again', async () => {
    await bad.setSwitch('ipForward', 0);
    await writeFile(join(bad.stateDir, 'sysctl.conf'), 'net.ipv4.ip_forward=0\n');
    const [before] = await wizard.check(['host-bad-001'], 'environment', params);
    expect(before?.items.find((item) => item.id === 'ip-forward')?.status).toBe('fail');
    const preview = wizard.previewFix('environment', 'ip-forward', params);
    expect(preview.commands).toHaveLength(4);
    for (const command of preview.commands) expect(command).toMatch(/^\$\(test "\$\(id -u\)" -eq 0 \|\| echo sudo -n\) sh -c '/);
    const outcome = await wizard.runFix('host-bad-001', 'environment', 'ip-forward', params);
    expect(outcome.runs.map((run) => [run.command, run.code])).toEqual(preview.commands.map((command) => [command, 0]));
    expect(outcome.recheck).toMatchObject({ id: 'ip-forward', status: 'pass' });
    // Persisted in the (simulated) /etc/sysctl.conf, by sudo.
    expect(await readFile(join(bad.stateDir, 'sysctl.conf'), 'utf8')).toBe('net.ipv4.ip_forward=1\n');
    expect((await readFile(join(bad.stateDir, 'sudo.log'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('reports an unreachable host instead of failing the others', async () => {
    const results = await wizard.check(['host-good-01', 'host-none-01'], 'environment', params);
    expect(results[0]?.error).toBeNull();
    expect(results[1]?.error).toMatch(/no session/);
  });
});

describe('Step 2 of the wizard: the image and the container', () => {
  const HOST = 'host-step2-01';
  let server: SimulatedDevServer;
  let session: SshSession;
  let dataDir: string;
  let step2: WizardService;
  const events: ActionEvent[] = [];
  const options: DockerRunOptions = defaultDockerRunOptions(modelartsQwenVl6310.dockerRun);
  const request = (itemId: string, patch: Partial<GuideParams> = {}, optionPatch: Partial<DockerRunOptions> = {}): ActionRequest => ({
    hostId: HOST,
    stepId: 'container',
    itemId,
    params: { ...params, ...patch },
    options: { ...options, ...optionPatch },
  });
  const statusOf = (items: readonly ItemResult[] | undefined, id: string) => items?.find((item) => item.id === id)?.status;
  let store: WizardProgressStore;
  const newWizard = () => {
    store = new WizardProgressStore(join(dataDir, 'guide-progress.json'));
    return new WizardService(modelartsQwenVl6310, async () => session, { store, onActionEvent: (event) => events.push(event) });
  };

  beforeAll(async () => {
    server = await startDevServer({ name: 'wizard-step2' });
    session = await openSession([keyHop(server)]);
    dataDir = mkdtempSync(join(tmpdir(), 'qvl-wizard-data-'));
    step2 = newWizard();
  });
  afterAll(async () => {
    session?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds no image and no container on a fresh server', async () => {
    const [result] = await step2.check([HOST], 'container', params);
    expect(result?.error).toBeNull();
    expect(result?.items.map((item) => [item.id, item.status])).toEqual([
      ['image', 'fail'],
      ['container', 'fail'],
      ['container-npu', 'fail'],
    ]);
    expect(result?.items.find((item) => item.id === 'container')?.summary.en).toContain('There is no container named qwen-vl yet');
  });

  it('cancels a pull under way; the image is still missing', async () => {
    events.length = 0;
    const running = step2.runAction(request('image'));
    await expect.poll(() => events.some((event) => (event.action.progress?.fraction ?? 0) > 0), { timeout: 20_000 }).toBe(true);
    step2.cancelAction(request('image'));
    const outcome = await running;
    expect(outcome.state).toBe('cancelled');
    expect(statusOf(outcome.recheck, 'image')).toBe('fail');
  });

  it('pulls the image with progress per layer and in total, streamed while it runs', async () => {
    events.length = 0;
    const preview = await step2.previewAction(request('image'));
    expect(preview).toEqual({ commands: [`script -q -e -f -c 'docker pull '\\''${params.image}'\\''' /dev/null`], confirm: false, errors: [] });
    const outcome = await step2.runAction(request('image'));
    expect(outcome.state).toBe('done');
    expect(outcome.commands).toEqual(preview.commands);
    const fractions = events.flatMap((event) => (event.action.progress ? [event.action.progress.fraction] : []));
    expect(fractions.length).toBeGreaterThan(3);
    expect(fractions.some((fraction) => fraction > 0 && fraction < 1)).toBe(true);
    fractions.forEach((fraction, index) => expect(fraction).toBeGreaterThanOrEqual((fractions[index - 1] ?? 0) - 0.01));
    // The pty gives byte counts: some layer was seen part-way with its size.
    const parts = events.flatMap((event) => event.action.progress?.parts ?? []);
    expect(parts.some((part) => part.status.en === 'Downloading' && part.total !== null && (part.current ?? 0) < part.total)).toBe(true);
    expect(outcome.progress?.parts.map((part) => [part.status.en, part.fraction])).toEqual(Array.from({ length: 4 }, () => ['Pull complete', 1]));
    expect(outcome.progress?.lines).toContain(`Status: Downloaded newer image for ${params.image}`);
    expect(events.at(-1)?.action.state).toBe('done');
    expect(statusOf(events.at(-1)?.recheck, 'image')).toBe('pass');
    expect(statusOf(outcome.recheck, 'image')).toBe('pass');
  });

  it('refuses an invalid name or a container dir over /home/ma-user before anything runs', async () => {
    const badName = await step2.previewAction(request('container', { containerName: 'qwen vl' }));
    expect(badName.commands).toEqual([]);
    expect(badName.errors.map((error) => error.field)).toEqual(['containerName']);
    const overHome = await step2.runAction(request('container', { containerWorkDir: '/home/ma-user' }));
    expect(overHome).toMatchObject({ state: 'refused', commands: [], runs: [], recheck: [] });
    expect(overHome.errors).toEqual([{ field: 'containerWorkDir', message: expect.objectContaining({ en: expect.stringContaining('cannot mount over /home/ma-user') }) }]);
  });

  it('refuses a card another running container holds, naming it', async () => {
    const holder = await session.run(sh`docker run -itd --device=/dev/davinci3 --name holder ${params.image} /bin/bash`);
    expect(holder.code).toBe(0);
    const preview = await step2.previewAction(request('container'));
    expect(preview.errors).toEqual([{ field: 'npus.3', message: expect.objectContaining({ en: expect.stringContaining('/dev/davinci3 is held by container holder') }) }]);
    const refused = await step2.runAction(request('container'));
    expect(refused.state).toBe('refused');
    expect((await session.run(sh`docker ps -a --format ${'{{.Names}}'}`)).stdout.trim()).toBe('holder');
    // A stopped container holds nothing.
    expect((await session.run(sh`docker stop holder`)).code).toBe(0);
    expect((await step2.previewAction(request('container'))).errors).toEqual([]);
  });

  it('starts the previewed docker run, streams its output and verifies the container and npu-smi in it', async () => {
    events.length = 0;
    const preview = await step2.previewAction(request('container'));
    expect(preview.commands).toEqual([buildDockerRun({ ...params, ...options }).text]);
    expect(preview.confirm).toBe(true);
    const outcome = await step2.runAction(request('container'));
    expect(outcome.state).toBe('done');
    expect(outcome.commands).toEqual(preview.commands);
    const streamed = events.flatMap((event) => (event.chunk ? [event.chunk.text] : [])).join('');
    expect(streamed).toMatch(/^[0-9a-f]{64}\n$/);
    expect(outcome.recheck.map((item) => [item.id, item.status])).toEqual([
      ['container', 'pass'],
      ['container-npu', 'pass'],
    ]);
    expect(outcome.recheck[0]?.summary.en).toBe('Container qwen-vl is running: 8 NPUs, 64g of shared memory, host network.');
    expect(outcome.recheck[1]?.evidence).toContain('npu-smi');
    const [again] = await step2.check([HOST], 'container', params);
    expect(again?.items.map((item) => item.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('refuses a second container on a card the first one holds', async () => {
    const outcome = await step2.runAction(request('container', { containerName: 'second' }, { npus: [7] }));
    expect(outcome.state).toBe('refused');
    expect(outcome.errors[0]?.message.en).toContain('/dev/davinci7 is held by container qwen-vl');
  });

  it('keeps each host’s answers, results and actions across a restart', async () => {
    const before = await step2.progress();
    await store.flushed();
    const saved = JSON.parse(readFileSync(join(dataDir, 'guide-progress.json'), 'utf8')) as { hosts: Record<string, unknown> };
    expect(Object.keys(saved.hosts)).toEqual([HOST]);
    const after = await newWizard().progress();
    expect(after).toEqual(before);
    const host = after.hosts[HOST];
    // The answers last used on the host: the second container's.
    expect(host?.params).toEqual({ ...params, containerName: 'second' });
    expect(host?.options).toEqual({ ...options, npus: [7] });
    expect(host?.steps.container?.items.map((item) => [item.id, item.status])).toEqual([
      ['image', 'pass'],
      ['container', 'pass'],
      ['container-npu', 'pass'],
    ]);
    expect(host?.actions.map((action) => [action.itemId, action.state])).toEqual([
      ['image', 'done'],
      ['container', 'refused'],
    ]);
  });
});
