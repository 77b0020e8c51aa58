import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

async function qvl(args: string[], command = process.execPath, prefix = ['dist/cli/qvl.mjs']) {
  try {
    const { stdout, stderr } = await run(command, [...prefix, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the qvl CLI', () => {
  beforeAll(async () => {
    await run(process.execPath, ['scripts/build-node.mjs', 'cli']);
  });

  it('prints help with exit 0, and usage with exit 2 when given nothing', async () => {
    const help = await qvl(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: qvl <command>/);
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 1 a check failed, 2 usage or connection error/);
    expect((await qvl([])).code).toBe(2);
  });

  it('prints the package version', async () => {
    expect(await qvl(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(await qvl(['-v'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('refuses an unknown command with exit 2 and says so on stderr', async () => {
    const result = await qvl(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('runs through the package bin and through `npm run -s cli --`', async () => {
    expect(await qvl(['--version'], process.execPath, ['bin/qvl.mjs'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const viaNpm = await qvl(['run', '-s', 'cli', '--', '--version'], 'npm', []);
    expect(viaNpm).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
