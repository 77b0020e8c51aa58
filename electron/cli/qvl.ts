import { APP_VERSION } from '../main/services/appVersion';
import { ExitCode } from './exitCodes';
import { runCli } from './runCli';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, version: APP_VERSION }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`qvl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = ExitCode.Usage;
  },
);
