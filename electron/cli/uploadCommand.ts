import { splitRemotePath } from '../../shared/ssh/target';
import { TransferError } from '../main/services/transfer/remoteFiles';
import { uploadPath } from '../main/services/transfer/transferJob';
import { siblingConnections } from '../main/services/transfer/transferLinks';
import { openCliSession } from './cliConnection';
import { parseCommandArgs, usageError } from './commandArgs';
import { ExitCode } from './exitCodes';
import { renderProgress } from './progressBar';
import type { CliCommand } from './runCli';

const USAGE = `Usage: qvl upload <local> <target>:<remote-path> [options]

Uploads a file or folder over SFTP: resumable (run it again after a drop), verified with sha256
on both ends, moved into place atomically; files already identical on the server are skipped.

<target> is [user@]host[:port] or a ~/.ssh/config alias. Like scp, a remote path ending in '/'
or naming an existing folder receives the upload inside it.

Options:
  --identity FILE   private key to try first (may be repeated)
  --accept-new      trust a host key seen for the first time (a changed key always fails)
  --json            print one summary object at the end instead of a progress bar
  -h, --help        show this help
`;

export const uploadCommand: CliCommand = {
  name: 'upload',
  summary: 'upload a file or folder, resumable and verified',
  async run(args, io) {
    const parsed = parseCommandArgs('upload', USAGE, io, args, { identity: { type: 'string', multiple: true }, 'accept-new': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    const [local, destination] = positionals;
    const remote = destination ? splitRemotePath(destination) : undefined;
    if (!local || !remote || positionals.length !== 2) return usageError('upload', USAGE, io, 'expected <local> and <target>:<remote-path>');
    const tty = !values.json && process.stderr.isTTY === true;
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let session;
    try {
      session = await openCliSession(remote.target, {
        identity: values.identity,
        acceptNew: values['accept-new'],
        interactive: process.stdin.isTTY === true,
        log: (line) => io.stderr.write(`${line}\n`),
      });
      const summary = await uploadPath(session, local, remote.path, {
        connections: siblingConnections(session),
        signal: controller.signal,
        onProgress: tty ? (progress) => io.stderr.write(`\r${renderProgress(progress)}\x1b[K`) : undefined,
      });
      if (tty) io.stderr.write('\n');
      if (values.json) {
        const { bytes, sent, resumedFrom, sha256, verified, seconds } = summary;
        io.stdout.write(`${JSON.stringify({ bytes, sent, resumedFrom, sha256, verified, seconds: Math.round(seconds * 1000) / 1000 })}\n`);
      } else {
        const skipped = summary.skipped ? `, ${summary.skipped} already identical` : '';
        io.stdout.write(`Uploaded ${summary.files} file(s), ${summary.bytes} bytes (${summary.sent} sent${summary.resumedFrom ? `, resumed from ${summary.resumedFrom}` : ''}${skipped}), sha256 verified in ${summary.seconds.toFixed(1)} s.\n`);
      }
      return ExitCode.Ok;
    } catch (error) {
      if (tty) io.stderr.write('\n');
      io.stderr.write(`qvl upload: ${(error as Error).message}\n`);
      // A copy that does not verify is a failed check; anything else (usage, connection, I/O) is 2.
      return error instanceof TransferError && error.kind === 'verify-failed' ? ExitCode.CheckFailed : ExitCode.Usage;
    } finally {
      process.off('SIGINT', onSigint);
      session?.close();
    }
  },
};
