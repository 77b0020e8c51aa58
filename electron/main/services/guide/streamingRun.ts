import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';

export interface StreamingRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Text as it arrives, stdout and stderr in arrival order. */
  onText(text: string): void;
}

export interface StreamingRunResult {
  /** The last KEPT_CHARS of each stream: what a failure is read from. */
  stdout: string;
  stderr: string;
  code: number | null;
  cancelled: boolean;
  timedOut: boolean;
}

/** A pull prints for hours; its end (the outcome or the error) is what explains it. */
const KEPT_CHARS = 64 * 1024;

function tail(text: string): string {
  return text.length > KEPT_CHARS ? text.slice(-KEPT_CHARS) : text;
}

/** Runs one command, handing its output on as text while it runs (a UTF-8 character split across two chunks stays whole). */
export async function runStreaming(session: SshSession, command: RemoteCommand, options: StreamingRunOptions): Promise<StreamingRunResult> {
  const streams = { stdout: { decoder: new TextDecoder(), text: '' }, stderr: { decoder: new TextDecoder(), text: '' } };
  const append = (stream: keyof typeof streams, text: string) => {
    if (text === '') return;
    streams[stream].text = tail(streams[stream].text + text);
    options.onText(text);
  };
  const receive = (stream: keyof typeof streams) => (chunk: Buffer) => append(stream, streams[stream].decoder.decode(chunk, { stream: true }));
  const result = await session.exec(command, { timeoutMs: options.timeoutMs, signal: options.signal, onStdout: receive('stdout'), onStderr: receive('stderr') });
  // Bytes of a character cut off by the end of the output.
  for (const stream of ['stdout', 'stderr'] as const) append(stream, streams[stream].decoder.decode());
  return { stdout: streams.stdout.text, stderr: streams.stderr.text, code: result.code, cancelled: result.cancelled, timedOut: result.timedOut };
}
