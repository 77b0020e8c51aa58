import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WizardService } from '../../electron/main/services/guide/wizardService';
import type { SshSession } from '../../electron/main/services/ssh/sshSession';
import { uploadPath } from '../../electron/main/services/transfer/transferJob';
import { defaultDockerRunOptions } from '../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../shared/guide/guideParams';
import { lossSource } from '../../shared/guide/lossNode';
import { modelartsQwenVl6310 as guide } from '../../shared/guide/modelartsQwenVl6310';
import { forNode } from '../../shared/guide/trainingForm';
import type { TrainingForm } from '../../shared/guide/trainingForm';
import type { ActionRequest, ItemResult } from '../../shared/guide/wizardApi';
import { sh } from '../../shared/remote/remoteCommand';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { makeCodePackage, makeWeightsFolder, startGuideContainer, testTrainingForm } from '../devserver/trainingFiles';
import { keyHop, openSession } from '../support/sshTestKit';

// Step 6 on two simulated DevServers training one model: each script gets NNODES=2, its own
// NODE_RANK and the master's address; the simulated torchrun meets the other node before it
// trains, only the last rank's log has the loss, and a node pointed at the wrong master fails
// the way torch's rendezvous does.
interface Node {
  id: string;
  server: SimulatedDevServer;
  session: SshSession;
  params: GuideParams;
}
const nodes: Node[] = [];
let wizard: WizardService;
let local: string;
const options = defaultDockerRunOptions(guide.dockerRun);

const statusOf = (items: readonly ItemResult[] | undefined, id: string) => items?.find((item) => item.id === id);
const nodeOf = (id: string) => nodes.find((node) => node.id === id) ?? (nodes[0] as Node);
const request = (node: Node, stepId: string, itemId: string, training: TrainingForm | null = null): ActionRequest => ({ hostId: node.id, stepId, itemId, params: node.params, options, inputs: { training } });
const runItem = async (node: Node) => statusOf((await wizard.check([node.id], 'training', node.params))[0]?.items, 'run');
const ended = (node: Node) => expect.poll(async () => (await runItem(node))?.facts?.state, { timeout: 40_000, interval: 500 }).toBe('exited');
const lossLines = async (node: Node, log: string | undefined) => ((await node.session.run(sh`cat ${log ?? ''}`)).stdout.match(/'loss':/g) ?? []).length;

const form = (node: Node): TrainingForm => testTrainingForm(node.params.containerWorkDir);

/** Steps 2–5 on one node, the short way: container, package installed, weights, a dataset file. */
async function prepare(node: Node, zip: string, weights: string): Promise<void> {
  const { session, params } = node;
  await startGuideContainer(session, params.workDir);
  expect((await uploadPath(session, zip, `${params.workDir}/`)).verified).toBe(true);
  expect((await uploadPath(session, weights, `${params.workDir}/`)).verified).toBe(true);
  const installed = await wizard.runAction(request(node, 'training-env', 'install'));
  expect(installed.state, JSON.stringify(installed)).toBe('done');
  expect((await session.run(sh`mkdir -p ${`${params.workDir}/data`} && echo [] > ${`${params.workDir}/data/train.json`}`)).code).toBe(0);
}

/** Writes each node's finetune_ds.sh from the form with the multi-node values, rank by list order. */
async function configure(master: string, port = '6001'): Promise<void> {
  for (const [rank, node] of nodes.entries()) {
    const outcome = await wizard.runAction(request(node, 'training', 'script', forNode({ ...form(node), masterPort: port }, rank, nodes.length, master)));
    expect(outcome.state).toBe('done');
    expect(statusOf(outcome.recheck, 'script')?.facts).toMatchObject({ nnodes: '2', nodeRank: String(rank), masterAddr: master, masterPort: port });
  }
}

beforeAll(async () => {
  local = mkdtempSync(join(tmpdir(), 'qvl-multinode-local-'));
  const servers = await Promise.all(['wizard-node-0', 'wizard-node-1'].map((name) => startDevServer({ name })));
  for (const [index, server] of servers.entries()) {
    const session = await openSession([keyHop(server)]);
    nodes.push({ id: `node-${index}`, server, session, params: { ...guide.defaults, workDir: server.workDir, containerWorkDir: server.workDir } });
  }
  wizard = new WizardService(guide, async (hostId) => nodeOf(hostId).session);
  const [zip, weights] = await Promise.all([makeCodePackage(local), makeWeightsFolder(local)]);
  await Promise.all(nodes.map((node) => prepare(node, zip, weights)));
}, 90_000);
afterAll(async () => {
  for (const node of nodes) node.session.close();
  await Promise.all(nodes.map((node) => node.server.stop()));
  if (local) rmSync(local, { recursive: true, force: true });
});

describe('Step 6 on two nodes', () => {
  it('trains once both nodes met: only the last rank’s log has the loss, and that is the log to follow', async () => {
    // Every simulated DevServer is this machine, so the first one's SSH address is the master's.
    await configure(nodes[0]?.server.host ?? '');
    // The last rank starts first and waits for the master, as torchrun's agents do.
    for (const node of [...nodes].reverse()) expect((await wizard.runAction(request(node, 'training', 'run'))).state).toBe('done');
    for (const node of nodes) await ended(node);
    const runs = await Promise.all(nodes.map(runItem));
    for (const run of runs) expect(run).toMatchObject({ status: 'pass', facts: { exitCode: '0' } });
    const [first, last] = nodes as [Node, Node];
    expect(await lossLines(first, runs[0]?.facts?.hostLog)).toBe(0);
    expect(await lossLines(last, runs[1]?.facts?.hostLog)).toBe(13);

    const scripts = await Promise.all(nodes.map(async (node) => statusOf((await wizard.check([node.id], 'training', node.params))[0]?.items, 'script')?.facts));
    // The status check counts the loss lines each log's tail holds: none on rank 0.
    expect(runs[0]?.facts?.lossPoints).toBe('0');
    expect(Number(runs[1]?.facts?.lossPoints)).toBeGreaterThanOrEqual(13);
    const nodeRuns = nodes.map((node, index) => ({ hostId: node.id, nnodes: scripts[index]?.nnodes, nodeRank: scripts[index]?.nodeRank, hostLog: runs[index]?.facts?.hostLog, lossPoints: Number(runs[index]?.facts?.lossPoints) }));
    for (const node of nodes) expect(lossSource(nodeRuns, node.id)).toEqual({ kind: 'last-rank', hostId: last.id, path: runs[1]?.facts?.hostLog, rank: 1, nodes: 2 });
  }, 90_000);

  it('fails both nodes like torch’s rendezvous when the other node looks for the master elsewhere', async () => {
    const [first, last] = nodes as [Node, Node];
    await configure(first.server.host, '6002');
    // The last rank's script names a master no simulated server is (TEST-NET-1).
    const elsewhere = forNode({ ...form(last), masterPort: '6002' }, 1, 2, '192.0.2.10');
    expect((await wizard.runAction(request(last, 'training', 'script', elsewhere))).state).toBe('done');
    for (const node of nodes) expect((await wizard.runAction(request(node, 'training', 'run'))).state).toBe('done');
    for (const node of nodes) await ended(node);
    const [master, client] = await Promise.all(nodes.map(runItem));
    // Each node's status names the rendezvous and says what to check.
    expect(master).toMatchObject({ status: 'fail', facts: { exitCode: '1', failure: 'rendezvous-timeout' } });
    expect(client).toMatchObject({ status: 'fail', facts: { exitCode: '1', failure: 'rendezvous-timeout' } });
    expect(client?.summary.en).toContain('The nodes never met');
    const log = async (node: Node, run: ItemResult | undefined) => (await node.session.run(sh`cat ${run?.facts?.hostLog ?? ''}`)).stdout;
    expect(await log(first, master)).toContain('DistStoreError: Timed out after 15 seconds waiting for clients. 1/2 clients joined.');
    expect(await log(last, client)).toContain('The client socket has timed out after 15s while trying to connect to (192.0.2.10, 6002).');
  }, 90_000);

  it('cannot start a second master on a port a master already listens on', async () => {
    const [first, last] = nodes as [Node, Node];
    const torchrun = (rank: number) => sh`torchrun --nproc_per_node 8 --nnodes 2 --node_rank ${String(rank)} --master_addr 127.0.0.1 --master_port 6003 finetune.py --model_name_or_path /nonexistent`;
    const master = first.session.run(torchrun(0), { timeoutMs: 30_000 });
    await expect.poll(async () => (await last.session.run(sh`test -f "$QVL_SIM_NETWORK/store-6003/nnodes"`)).code, { timeout: 10_000, interval: 100 }).toBe(0);
    const second = await last.session.run(torchrun(0));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('The server socket has failed to bind to [::]:6003 (errno: 98 - Address already in use).');
    // Rank 1 joins the first master: both get past the rendezvous, to finetune.py's own start-up error.
    const client = await last.session.run(torchrun(1));
    for (const result of [client, await master]) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("OSError: Incorrect path_or_model_id: '/nonexistent'.");
    }
  }, 40_000);
});
