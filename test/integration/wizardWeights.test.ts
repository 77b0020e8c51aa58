import { mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WizardService } from '../../electron/main/services/guide/wizardService';
import type { SshSession } from '../../electron/main/services/ssh/sshSession';
import { defaultDockerRunOptions } from '../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../shared/guide/guideParams';
import { modelartsQwenVl6310 as guide } from '../../shared/guide/modelartsQwenVl6310';
import { SHARDS, WEIGHT_FILES } from '../../shared/guide/weightsCheck';
import type { ActionEvent, ActionRequest, ItemResult } from '../../shared/guide/wizardApi';
import { dockerExec, sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { makeWeightsFolder, startGuideContainer } from '../devserver/trainingFiles';
import { keyHop, openSession } from '../support/sshTestKit';

// Step 4's weights on a simulated DevServer: the guide's two ways to get them — files put on the
// host as root (then the chown the guide asks for), and the download inside the container
// (huggingface-cli, which fails plainly without the internet) — each checked against the
// guide's tree and the container user's access.
const HOST = 'host-weights-01';
let server: SimulatedDevServer;
let session: SshSession;
let wizard: WizardService;
let local: string;
let params: GuideParams;
const events: ActionEvent[] = [];
const options = defaultDockerRunOptions(guide.dockerRun);

const statusOf = (items: readonly ItemResult[] | undefined, id: string) => items?.find((item) => item.id === id);
const check = async () => (await wizard.check([HOST], 'training-env', params))[0]?.items ?? [];
const request = (itemId: string): ActionRequest => ({ hostId: HOST, stepId: 'training-env', itemId, params, options, inputs: { training: null } });
const weightsDir = () => `${params.workDir}/Qwen-VL-Chat`;

beforeAll(async () => {
  server = await startDevServer({ name: 'wizard-weights' });
  session = await openSession([keyHop(server)]);
  local = mkdtempSync(join(tmpdir(), 'qvl-weights-local-'));
  params = { ...guide.defaults, workDir: server.workDir, containerWorkDir: server.workDir };
  wizard = new WizardService(guide, async () => session, { onActionEvent: (event) => events.push(event) });
  await startGuideContainer(session, server.workDir);
}, 60_000);
afterAll(async () => {
  session?.close();
  await server?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

describe('Step 4: weights put on the host as root, then chown', () => {
  it('passes the file check but fails the owner check, naming root’s files', async () => {
    await server.copyAsRoot(await makeWeightsFolder(local), params.workDir);
    const items = await check();
    expect(statusOf(items, 'weights')?.status).toBe('pass');
    const owner = statusOf(items, 'ownership');
    expect(owner?.status).toBe('fail');
    expect(owner?.summary.en).toContain('they were uploaded as root');
    expect(owner?.evidence).toContain(`root:root ${weightsDir()}`);
  });

  it('gives everything to ma-user with the guide’s sudo chown, after which the check passes', async () => {
    const preview = await wizard.previewAction(request('ownership'));
    expect(preview.commands).toEqual([dockerExec(params.containerName, sh`sudo chown -R ma-user:ma-group ${params.containerWorkDir}`).text]);
    const outcome = await wizard.runAction(request('ownership'));
    expect(outcome.state).toBe('done');
    expect(statusOf(outcome.recheck, 'ownership')?.status).toBe('pass');
    // The container's ma-user is the login user on the simulated server.
    const me = await session.run(sh`id -u`);
    expect((await stat(join(weightsDir(), SHARDS[0] ?? ''))).uid).toBe(Number(me.stdout.trim()));
  });

  it('is root only over the server’s own files, and knows no ma-user on the host', async () => {
    const outside = await session.run(sh`docker exec ${params.containerName} sudo chown ma-user:ma-group /etc/hostname`);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('Operation not permitted');
    const onHost = await session.run(sh`sudo chown ma-user:ma-group ${weightsDir()}`);
    expect(onHost.code).not.toBe(0);
    expect(onHost.stderr).toMatch(/invalid user: .ma-user:ma-group./);
  });
});

describe('Step 4: weights downloaded inside the container', () => {
  it('offers huggingface-cli in the container, which the host does not have', async () => {
    expect((await session.run(sh`rm -rf -- ${weightsDir()}`)).code).toBe(0);
    expect(statusOf(await check(), 'weights')?.summary.en).toContain('There is no weights folder');
    const preview = await wizard.previewAction(request('weights'));
    expect(preview.commands).toEqual([dockerExec(params.containerName, sh`huggingface-cli download Qwen/Qwen-VL-Chat --local-dir ${weightsDir()}`).text]);
    const onHost = await session.run(sh`huggingface-cli download Qwen/Qwen-VL-Chat`);
    expect(onHost.code).toBe(127);
  });

  it('fails without the internet, says why, and leaves no weights behind', async () => {
    await server.setSwitch('internet', 'down');
    const outcome = await wizard.runAction(request('weights'));
    expect(outcome.state).toBe('failed');
    expect(outcome.failure?.en).toMatch(/^The container cannot reach huggingface\.co/);
    expect(outcome.runs[0]?.stderr).toContain('[Errno 101] Network is unreachable');
    expect(outcome.progress?.lines.at(-1)).toMatch(/^huggingface_hub\.errors\.LocalEntryNotFoundError/);
    expect(statusOf(outcome.recheck, 'weights')?.status).toBe('fail');
  });

  it('downloads every file of the guide’s tree with progress, then the weights and the owner checks pass', async () => {
    await server.setSwitch('internet', 'up');
    events.length = 0;
    const outcome = await wizard.runAction(request('weights'));
    expect(outcome.state).toBe('done');
    const progress = events.flatMap((event) => (event.action.progress ? [event.action.progress] : []));
    // Seen on the way: a shard part-way, and the whole between its ends.
    expect(progress.some((seen) => seen.parts.some((part) => SHARDS.includes(part.id) && part.fraction > 0 && part.fraction < 1))).toBe(true);
    expect(progress.some((seen) => seen.fraction > 0 && seen.fraction < 1)).toBe(true);
    const last = outcome.progress;
    expect(last?.fraction).toBe(1);
    expect(last?.parts.map((part) => part.id).sort()).toEqual([...WEIGHT_FILES].sort());
    expect(last?.parts.every((part) => part.fraction === 1 && part.current === part.total)).toBe(true);
    expect(last?.lines).toEqual([weightsDir()]);
    expect(statusOf(outcome.recheck, 'weights')?.status).toBe('pass');
    expect(statusOf(outcome.recheck, 'ownership')?.status).toBe('pass');
    // Nothing half-written is left under a real name or beside it.
    const listing = await session.run(sh`ls -A ${weightsDir()}`);
    expect(listing.stdout.split('\n').filter(Boolean).sort()).toEqual(['.cache', ...WEIGHT_FILES].sort());
  });
});
