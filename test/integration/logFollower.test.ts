import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract';
import { createEventHub } from '../../shared/api/dispatcher';
import type { HostProfile, HostStatus } from '../../shared/hosts/hostProfile';
import { encodeBatch, STREAMED_METRICS } from '../../shared/logs/logStreamApi';
import type { LogPointBatch, LogStreamInfo, WireNumber } from '../../shared/logs/logStreamApi';
import { parseLog, toPoints } from '../../shared/trainingLog';
import { ConnectionManager } from '../../electron/main/services/hosts/connectionManager';
import { LogFollowerService } from '../../electron/main/services/logs/logFollowerService';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { keyHop, noPrompts, trustingPolicy } from '../support/sshTestKit';

// Remote logs read through a real SSH session to the simulated DevServer. The "remote" files are
// on this machine, so the test writes them directly while the app reads them over SSH.

let server: SimulatedDevServer;
let dir: string;
let manager: ConnectionManager;
let service: LogFollowerService;
const batches: LogPointBatch[] = [];
const infos: LogStreamInfo[] = [];
const statuses: HostStatus[] = [];
/** When each batch arrived (ms), for the latency measurement. */
const batchTimes = new Map<LogPointBatch, number>();

const HOST = 'logs-host-1';

beforeAll(async () => {
  server = await startDevServer({ name: 'logs' });
  dir = mkdtempSync(join(tmpdir(), 'qvl-remote-logs-'));
  chmodSync(dir, 0o755);
  const profile: HostProfile = { id: HOST, name: 'logs', host: '127.0.0.1', port: server.port, user: server.user, auth: 'key', identityFile: server.clientKey, jump: [] };
  // The backend's wiring: a real event hub validates every event against the contract.
  const events = createEventHub(contract);
  events.subscribe((name, payload) => {
    if (name === 'logs:onDidAppend') {
      batches.push(payload as LogPointBatch);
      batchTimes.set(payload as LogPointBatch, Date.now());
    }
    if (name === 'logs:onDidChange') infos.push(payload as LogStreamInfo);
  });
  manager = new ConnectionManager({
    profile: async () => profile,
    hops: async () => [keyHop(server)],
    hostKeyPolicy: () => trustingPolicy().policy,
    prompter: () => noPrompts,
    onStatus: (status) => {
      statuses.push(status);
      service?.hostStatusChanged(status);
    },
  });
  service = new LogFollowerService({
    session: (id) => manager.session(id),
    hostStatus: (id) => manager.status(id),
    emitInfo: (info) => events.emit('logs:onDidChange', info),
    emitBatch: (batch) => events.emit('logs:onDidAppend', batch),
  });
  await manager.connect(HOST);
});
afterEach(() => service.shutdown());
afterAll(async () => {
  manager?.disconnectAll();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// --- a realistic log: HF Trainer dicts between tqdm frames, NaN and Inf, a resumed step ----------

let nextStep = 0;
function trainerLines(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const step = ++nextStep;
    const frame = `\r ${String(step % 100).padStart(2)}%|███       | ${step}/100000 [00:${String(step % 60).padStart(2, '0')}<12:00,  1.23it/s]`;
    const loss = step % 97 === 0 ? 'nan' : step % 89 === 0 ? 'inf' : (2.5 / Math.sqrt(step) + (step % 7) * 0.01).toFixed(4);
    text += `${frame}\r${' '.repeat(40)}\r{'loss': ${loss}, 'grad_norm': ${(1 + (step % 5) / 3).toFixed(6)}, 'learning_rate': ${(1e-5 * (1 - step / 200000)).toExponential(6)}, 'epoch': ${(step / 5000).toFixed(2)}}\n`;
  }
  return text;
}

const until = async (what: () => boolean, ms = 20_000, label = 'condition') => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const infosOf = (id: string) => infos.filter((info) => info.id === id);
const lastInfo = (id: string) => infosOf(id).at(-1);
const batchesOf = (id: string) => batches.filter((batch) => batch.id === id);
const received = (id: string) => batchesOf(id).reduce((sum, batch) => sum + batch.step.length, 0);

type Columns = Record<string, WireNumber[] | number[]>;

/** The batches of a stream joined into one sequence; fails on a gap or an overlap. */
function joined(list: readonly LogPointBatch[]): Columns {
  const columns: Columns = { step: [], kind: [], format: [], rank: [], time: [] };
  let next = 0;
  for (const batch of list) {
    expect(batch.from).toBe(next);
    next += batch.step.length;
    for (const key of ['step', 'kind', 'format', 'rank', 'time'] as const) (columns[key] as unknown[]).push(...batch[key]);
    for (const name of STREAMED_METRICS) {
      const column = (columns[`metric:${name}`] ??= []) as WireNumber[];
      column.push(...(batch.metrics[name] ?? new Array<WireNumber>(batch.step.length).fill(null)));
    }
  }
  return columns;
}

/** What one read of the whole file gives. */
function fullParse(path: string): Columns {
  const log = parseLog(readFileSync(path));
  const points = toPoints(log.points, log.series);
  return joined([encodeBatch('log-expected', 0, points, points.map(() => null))]);
}

/** Processes on the simulated server that run tail (they carry its state dir in their environment). */
function serverTails(): number[] {
  const tag = `QVL_SIM_STATE=${server.stateDir}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (command.startsWith('tail\0') && readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(tag)) pids.push(Number(entry));
    } catch {
      // Gone while the table was read.
    }
  }
  return pids;
}

describe('reading a remote log once', () => {
  it('reads to the end with progress, including a last line without a line break', async () => {
    const path = join(dir, 'review.log');
    nextStep = 0;
    writeFileSync(path, `${trainerLines(20_000)}{'loss': 0.5, 'epoch': 9.99}`);
    const info = service.open(HOST, path, 'review');
    expect(info).toMatchObject({ mode: 'review', state: 'connecting', points: 0 });
    await until(() => lastInfo(info.id)?.state === 'ended', 30_000, 'the end of the review');
    const size = readFileSync(path).length;
    expect(lastInfo(info.id)).toMatchObject({ state: 'ended', problem: null, bytesRead: size, bytesTotal: size, points: 20_001 });
    expect(joined(batchesOf(info.id))).toEqual(fullParse(path));
    expect(lastInfo(info.id)?.summary?.series.loss?.count).toBe(20_001);
    // Every point was already in the file: none has an arrival time.
    expect(batchesOf(info.id).every((batch) => batch.arrival.every((arrival) => arrival === null))).toBe(true);
    // A window that missed everything can read it all again, batch by batch.
    const again: LogPointBatch[] = [];
    while (again.reduce((sum, batch) => sum + batch.step.length, 0) < 20_001) again.push(service.points(info.id, again.reduce((sum, batch) => sum + batch.step.length, 0)));
    expect(joined(again)).toEqual(joined(batchesOf(info.id)));
  });

  it('says so when the file does not exist', async () => {
    const info = service.open(HOST, join(dir, 'nope', 'train.log'), 'review');
    await until(() => lastInfo(info.id)?.state === 'error', 10_000, 'the error');
    expect(lastInfo(info.id)?.problem).toMatchObject({ code: 'missing' });
    // Nothing was read: no verdict (not "the log is empty").
    expect(lastInfo(info.id)?.summary).toBeNull();
  });

  it('refuses a host that is not connected', () => {
    expect(() => service.open('logs-host-2', '/tmp/x.log', 'follow')).toThrow(/Connect/);
  });
});

describe('following a remote log', () => {
  it('delivers appended lines as they are written, and a line written in two parts once whole', async () => {
    const path = join(dir, 'live.log');
    nextStep = 0;
    writeFileSync(path, trainerLines(50));
    const info = service.open(HOST, path, 'follow');
    await until(() => received(info.id) === 50, 10_000, 'the first 50 points');
    const latencies: number[] = [];
    for (let round = 0; round < 20; round++) {
      const before = batchesOf(info.id).length;
      const written = Date.now();
      appendFileSync(path, trainerLines(1));
      await until(() => batchesOf(info.id).length > before, 10_000, 'the appended point');
      latencies.push((batchTimes.get(batchesOf(info.id).at(-1) as LogPointBatch) ?? 0) - written);
    }
    const line = trainerLines(1);
    appendFileSync(path, line.slice(0, 60));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(received(info.id)).toBe(70);
    appendFileSync(path, line.slice(60));
    await until(() => received(info.id) === 71, 10_000, 'the completed line');
    expect(joined(batchesOf(info.id))).toEqual(fullParse(path));
    expect(lastInfo(info.id)).toMatchObject({ state: 'following', problem: null });
    // Points written while followed carry when they arrived; the first 50 were there before.
    expect(batchesOf(info.id)[0]?.arrival[0]).toBeNull();
    expect(batchesOf(info.id).at(-1)?.arrival[0]).toBeGreaterThan(Date.now() - 60_000);
    latencies.sort((a, b) => a - b);
    console.info(`append → event latency over SSH: p50 ${latencies[10]} ms, max ${latencies.at(-1)} ms`);
    // Loose: the 300 ms target is the bench's; a busy 2-core machine must still pass.
    expect(latencies[10]).toBeLessThan(1500);
  });

  it('survives sshd being killed mid-stream: no point lost or repeated', async () => {
    const path = join(dir, 'killed.log');
    nextStep = 0;
    writeFileSync(path, trainerLines(2000));
    const info = service.open(HOST, path, 'follow');
    let writing = true;
    const writer = (async () => {
      while (writing) {
        appendFileSync(path, trainerLines(7));
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    await until(() => received(info.id) > 2100, 20_000, 'points while writing');
    await server.kill();
    await until(() => lastInfo(info.id)?.state === 'reconnecting', 10_000, 'the reconnecting state');
    // Lines keep coming while the server is down, including one cut in the middle.
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(path, "{'loss': 1.25, 'grad_norm': 0.5, 'learn");
    await server.restart();
    appendFileSync(path, "ing_rate': 1e-05, 'epoch': 0.5}\n");
    await until(() => lastInfo(info.id)?.state === 'following', 30_000, 'following again');
    await new Promise((resolve) => setTimeout(resolve, 300));
    writing = false;
    await writer;
    const expected = fullParse(path);
    await until(() => received(info.id) === (expected.step as unknown[]).length, 20_000, 'every point');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(joined(batchesOf(info.id))).toEqual(expected);
    const states = infosOf(info.id).map((entry) => entry.state);
    expect(states).toContain('reconnecting');
    expect(states.indexOf('following')).toBeLessThan(states.lastIndexOf('reconnecting'));
    expect(lastInfo(info.id)?.bytesRead).toBe(readFileSync(path).length);
  });

  it('waits for a file that does not exist yet, then follows it', async () => {
    const path = join(dir, 'later.log');
    const info = service.open(HOST, path, 'follow');
    await until(() => lastInfo(info.id)?.problem?.code === 'missing', 10_000, 'the missing state');
    nextStep = 0;
    writeFileSync(path, trainerLines(5));
    await until(() => received(info.id) === 5, 10_000, 'the new file');
    expect(lastInfo(info.id)).toMatchObject({ state: 'following', problem: null });
  });

  it('reports a truncated file, and a file replaced by another run', async () => {
    const truncated = join(dir, 'truncated.log');
    nextStep = 0;
    writeFileSync(truncated, trainerLines(10));
    const first = service.open(HOST, truncated, 'follow');
    await until(() => received(first.id) === 10, 10_000, 'the points');
    truncateSync(truncated, 0);
    appendFileSync(truncated, trainerLines(3));
    await until(() => lastInfo(first.id)?.state === 'error', 10_000, 'the truncation');
    expect(lastInfo(first.id)?.problem?.code).toBe('truncated');
    expect(received(first.id)).toBe(10);

    const replaced = join(dir, 'replaced.log');
    writeFileSync(replaced, trainerLines(10));
    const second = service.open(HOST, replaced, 'follow');
    await until(() => received(second.id) === 10, 10_000, 'the points');
    writeFileSync(`${replaced}.new`, trainerLines(4));
    renameSync(`${replaced}.new`, replaced);
    await until(() => lastInfo(second.id)?.state === 'error', 10_000, 'the replacement');
    expect(lastInfo(second.id)?.problem?.code).toBe('replaced');
    expect(received(second.id)).toBe(10);
  });

  it('notices a file truncated while the link was down (size < offset)', async () => {
    const path = join(dir, 'shrunk.log');
    nextStep = 0;
    writeFileSync(path, trainerLines(30));
    const info = service.open(HOST, path, 'follow');
    await until(() => received(info.id) === 30, 10_000, 'the points');
    await server.kill();
    writeFileSync(path, trainerLines(2));
    await server.restart();
    await until(() => lastInfo(info.id)?.state === 'error', 30_000, 'the truncation');
    expect(lastInfo(info.id)?.problem).toMatchObject({ code: 'truncated' });
  });

  it('leaves no tail running on the server once stopped', async () => {
    const path = join(dir, 'stopped.log');
    writeFileSync(path, trainerLines(3));
    const info = service.open(HOST, path, 'follow');
    await until(() => received(info.id) === 3, 10_000, 'the points');
    expect(serverTails().length).toBeGreaterThan(0);
    service.stop(info.id);
    await until(() => serverTails().length === 0, 10_000, 'tail to end');
    expect(lastInfo(info.id)).toMatchObject({ state: 'ended', problem: null });
    // Stopped streams stay listed (a reloaded window can still read their points) until closed.
    expect(service.list().map((entry) => entry.id)).toContain(info.id);
    service.close(info.id);
    expect(service.list().map((entry) => entry.id)).not.toContain(info.id);
    // The session is still usable: the stop closed only the reader's channel.
    expect((await manager.session(HOST)).isOpen).toBe(true);
  });
});
