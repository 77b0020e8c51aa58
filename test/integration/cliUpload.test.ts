import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

const run = promisify(execFile);
let server: SimulatedDevServer;
let work: string;
let env: NodeJS.ProcessEnv;

async function qvl(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli/qvl.mjs', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  server = await startDevServer({ name: 'cli' });
  work = mkdtempSync(join(tmpdir(), 'qvl-cli-'));
  chmodSync(work, 0o777);
  // A HOME of its own: no ~/.ssh/config or known_hosts of the machine's user, and its own app data.
  env = { ...process.env, HOME: work, QVL_DATA_DIR: join(work, 'data') };
});
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('qvl upload', () => {
  const target = () => `${server.user}@127.0.0.1:${server.port}`;

  it('refuses an unknown host key without --accept-new when nobody can answer', async () => {
    const file = join(work, 'a.bin');
    writeFileSync(file, 'x');
    const result = await qvl(['upload', file, `${target()}:${work}/remote/`, '--identity', server.clientKey]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(server.hostKeyFingerprint);
    expect(result.stderr).toMatch(/--accept-new/);
  });

  it('uploads with --accept-new and prints one JSON summary; a second run sends nothing', async () => {
    const file = join(work, 'weights.bin');
    writeFileSync(file, randomBytes(5 * 1024 * 1024 + 3));
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const first = await qvl(['upload', file, `${target()}:${work}/remote/`, '--identity', server.clientKey, '--accept-new', '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(Object.keys(summary).sort()).toEqual(['bytes', 'resumedFrom', 'seconds', 'sent', 'sha256', 'verified']);
    expect(summary).toMatchObject({ bytes: 5 * 1024 * 1024 + 3, sent: 5 * 1024 * 1024 + 3, resumedFrom: 0, sha256, verified: true });
    expect(first.stderr).toMatch(/Permanently added|permanently added/);
    expect(readFileSync(join(work, 'remote', 'weights.bin')).equals(readFileSync(file))).toBe(true);

    const second = await qvl(['upload', file, `${target()}:${work}/remote/`, '--identity', server.clientKey, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ sent: 0, verified: true, sha256 });
  });

  it('fails with exit 2 on a changed host key, even with --accept-new', async () => {
    const changing = await startDevServer({ name: 'cli-rekey' });
    try {
      const file = join(work, 'b.bin');
      writeFileSync(file, 'y');
      const to = `${changing.user}@127.0.0.1:${changing.port}:${work}/rekey/`;
      expect((await qvl(['upload', file, to, '--identity', changing.clientKey, '--accept-new'])).code).toBe(0);
      await changing.rotateHostKey();
      const result = await qvl(['upload', file, to, '--identity', changing.clientKey, '--accept-new']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/CHANGED/);
    } finally {
      await changing.stop();
    }
  });

  it('explains usage errors with exit 2', async () => {
    expect((await qvl(['upload', 'only-one-argument'])).code).toBe(2);
    const bad = await qvl(['upload', 'x', '-oProxyCommand=touch:/tmp/x']);
    expect(bad.code).toBe(2);
  });
});
