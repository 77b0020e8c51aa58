import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

const run = promisify(execFile);
let healthy: SimulatedDevServer;
let broken: SimulatedDevServer;
let work: string;
let env: NodeJS.ProcessEnv;

async function preflight(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli/qvl.mjs', 'preflight', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const target = (server: SimulatedDevServer) => `${server.user}@127.0.0.1:${server.port}`;
const keys = (server: SimulatedDevServer) => ['--identity', server.clientKey, '--accept-new'];

beforeAll(async () => {
  [healthy, broken] = await Promise.all([startDevServer({ name: 'preflight-ok' }), startDevServer({ name: 'preflight-broken', npu: 'alarm', dockerDaemon: 'down', ipForward: 0 })]);
  work = mkdtempSync(join(tmpdir(), 'qvl-preflight-'));
  env = { ...process.env, HOME: work, QVL_DATA_DIR: join(work, 'data') };
});
afterAll(async () => {
  await Promise.all([healthy?.stop(), broken?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('qvl preflight', () => {
  it('checks a healthy DevServer: 8 NPUs, all the documented check ids, exit 0', async () => {
    const result = await preflight([target(healthy), ...keys(healthy), '--json']);
    const { hosts } = JSON.parse(result.stdout);
    expect(hosts).toHaveLength(1);
    const [host] = hosts;
    expect(Object.keys(host).sort()).toEqual(['checks', 'driverVersion', 'npuTotal', 'npus', 'ok', 'target']);
    expect(host).toMatchObject({ target: target(healthy), ok: true, npuTotal: 8 });
    expect(host.npus).toHaveLength(8);
    expect(Object.keys(host.npus[0]).sort()).toEqual(['chip', 'hbmTotalMB', 'hbmUsedMB', 'health', 'index', 'name', 'processes']);
    const ids = host.checks.map((check: { id: string }) => check.id);
    for (const id of ['ssh', 'npu-cards', 'npu-health', 'npu-free', 'driver-version', 'docker', 'docker-daemon', 'ip-forward', 'metadata-guard', 'disk']) expect(ids).toContain(id);
    for (const check of host.checks) expect(['pass', 'warn', 'fail']).toContain(check.status);
    expect(result.code).toBe(0);
  });

  it('runs several hosts in parallel and exits 1 when a check fails, saying which and why', async () => {
    const result = await preflight([target(healthy), target(broken), '--identity', healthy.clientKey, '--identity', broken.clientKey, '--accept-new', '--json']);
    const { hosts } = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    const bad = hosts.find((host: { target: string }) => host.target === target(broken));
    const status = (id: string) => bad.checks.find((check: { id: string }) => check.id === id)?.status;
    expect(bad.ok).toBe(false);
    expect(status('npu-health')).toBe('fail');
    expect(status('docker-daemon')).toBe('fail');
    expect(status('ip-forward')).toBe('fail');
  });

  it('reports an unreachable host as a connection error, exit 2, with a table on stdout', async () => {
    const result = await preflight(['qvl-sim@127.0.0.1:1', '--accept-new']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/✗ ssh/);
  });
});
