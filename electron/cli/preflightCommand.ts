import { modelartsQwenVl6310 } from '../../shared/guide/modelartsQwenVl6310';
import type { PreflightReport } from '../../shared/guide/preflight';
import { preflightHost } from '../main/services/guide/stepRunner';
import { openCliSession } from './cliConnection';
import { parseCommandArgs, usageError } from './commandArgs';
import { ExitCode } from './exitCodes';
import type { CliCommand, CliIo } from './runCli';

const USAGE = `Usage: qvl preflight <target>... [options]

Runs Step 1 of the ModelArts 6.3.910 Qwen-VL guide ("check the environment") on every target at
once: NPU count, health and idleness, driver version, Docker and its daemon, IP forwarding, the
metadata guard and free disk.

<target> is [user@]host[:port] or a ~/.ssh/config alias.

Options:
  --identity FILE   private key to try first (may be repeated)
  --accept-new      trust a host key seen for the first time (a changed key always fails)
  --json            one object: { "hosts": [ { "target", "ok", "npuTotal", "driverVersion", "npus", "checks" } ] }
  -h, --help        show this help

Exit codes: 0 nothing failed, 1 a check failed, 2 usage or connection error.
`;

type HostResult = { target: string } & PreflightReport & { connectionError?: string };

const MARK = { pass: '✓', warn: '!', fail: '✗' } as const;

function writeTable(results: HostResult[], io: CliIo): void {
  for (const result of results) {
    io.stdout.write(`${result.target}: ${result.ok ? 'ok' : 'FAILED'}${result.npuTotal !== null ? ` · ${result.npuTotal} NPUs` : ''}${result.driverVersion ? ` · driver ${result.driverVersion}` : ''}\n`);
    for (const check of result.checks) io.stdout.write(`  ${MARK[check.status]} ${check.id.padEnd(15)} ${check.summary}\n`);
  }
}

export const preflightCommand: CliCommand = {
  name: 'preflight',
  summary: "check every target against Step 1 of the guide, in parallel",
  async run(args, io) {
    const parsed = parseCommandArgs('preflight', USAGE, io, args, { identity: { type: 'string', multiple: true }, 'accept-new': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals: targets } = parsed;
    if (targets.length === 0) return usageError('preflight', USAGE, io, 'name at least one target');
    const guide = modelartsQwenVl6310;
    const step = guide.steps[0];
    if (!step) throw new Error('The guide has no steps');
    const results = await Promise.all(
      targets.map(async (target): Promise<HostResult> => {
        let session;
        try {
          session = await openCliSession(target, {
            identity: values.identity,
            acceptNew: values['accept-new'],
            // Several hosts at once cannot share one terminal for questions.
            interactive: targets.length === 1 && process.stdin.isTTY === true,
            log: (line) => io.stderr.write(`${target}: ${line}\n`),
          });
          return { target, ...(await preflightHost(session, step, guide.defaults)) };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { target, ok: false, npuTotal: null, driverVersion: null, npus: [], checks: [{ id: 'ssh', status: 'fail', summary: message }], connectionError: message };
        } finally {
          session?.close();
        }
      }),
    );
    if (values.json) {
      const hosts = results.map(({ target, ok, npuTotal, driverVersion, npus, checks }) => ({ target, ok, npuTotal, driverVersion, npus, checks }));
      io.stdout.write(`${JSON.stringify({ hosts }, null, 2)}\n`);
    } else {
      writeTable(results, io);
    }
    if (results.some((result) => result.connectionError !== undefined)) return ExitCode.Usage;
    return results.every((result) => result.ok) ? ExitCode.Ok : ExitCode.CheckFailed;
  },
};
