// A worker thread with an SSH connection of its own: it writes the chunks it is handed into the
// file being uploaded, so the SSH work of a big upload (SFTP framing, AES-GCM, and the garbage
// collection of ssh2's per-packet buffers in a small heap) runs beside the main thread instead
// of on it. The main thread answers the host-key and login questions (see workerConnection.ts).
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { SFTPWrapper } from 'ssh2';
import { SshError } from '../ssh/sshErrors';
import { SshSession } from '../ssh/sshSession';
import type { AuthPrompter, HostKeyPolicy } from '../ssh/sshSession';
import { BufferPool } from './bufferPool';
import { CHUNK_BYTES } from './chunkPump';
import type { PumpLane } from './chunkPump';
import { toWireError } from './connectionMessages';
import type { ConnectionQuestion, ConnectionWorkerData, FromConnectionWorker, ToConnectionWorker, WireError } from './connectionMessages';
import { framedUploadLane, uploadLane } from './laneCopies';
import { sftpClose, sftpOpen } from './sftpOps';
import { MAX_WRITE_HEADER_BYTES, SftpWriter } from './sftpWriter';
import { connectCoalesced } from '../ssh/coalescedSocket';

const port = parentPort;
if (!port) throw new Error('connectionWorker runs in a worker thread');
const init = workerData as ConnectionWorkerData;
const post = (message: FromConnectionWorker) => port.postMessage(message);

const answers = new Map<number, (value: true | WireError | string | string[] | undefined) => void>();
let asked = 0;
function ask(question: ConnectionQuestion): Promise<true | WireError | string | string[] | undefined> {
  return new Promise((resolve) => {
    const id = ++asked;
    answers.set(id, resolve);
    post({ type: 'ask', id, question });
  });
}

const hostKeyPolicy: HostKeyPolicy = async (hop, key) => {
  const verdict = await ask({ kind: 'host-key', hop, key });
  if (verdict === true) return true;
  const refusal = verdict as WireError;
  return new SshError(refusal.sshKind ?? 'host-key', refusal.message);
};
const prompter: AuthPrompter = {
  password: async (hop) => (await ask({ kind: 'password', hop })) as string | undefined,
  passphrase: async (hop, keyPath, retry) => (await ask({ kind: 'passphrase', hop, keyPath, retry })) as string | undefined,
  keyboardInteractive: async (hop, challenge) => (await ask({ kind: 'keyboard-interactive', hop, challenge })) as string[] | undefined,
};

/** A channel chunks are written on: our own SFTP writer, or ssh2's SFTP where the server makes no promise on write sizes. */
interface UploadChannel {
  open(remote: string): Promise<Buffer>;
  lane(local: FileHandle, localPath: string, handle: Buffer): PumpLane;
  close(handle: Buffer): Promise<void>;
}

interface OpenUpload {
  local: FileHandle;
  lanes: Array<{ channel: UploadChannel; handle: Buffer; lane: PumpLane }>;
}

let session: SshSession | undefined;
let channels: UploadChannel[] = [];
let upload: OpenUpload | undefined;
let next = 0;
const buffers = new BufferPool(MAX_WRITE_HEADER_BYTES + CHUNK_BYTES);

async function openChannel(opened: SshSession): Promise<UploadChannel> {
  const writer = await SftpWriter.start(await opened.sftpSubsystem(), CHUNK_BYTES);
  if (writer) {
    return {
      open: (remote) => writer.open(remote, false),
      lane: (local, localPath, handle) => framedUploadLane(local, localPath, writer, handle, buffers),
      close: (handle) => writer.close(handle),
    };
  }
  const sftp: SFTPWrapper = await opened.sftp();
  // Every request in flight watches its channel for a drop (see sftpOps.ts).
  sftp.setMaxListeners(0);
  return {
    open: (remote) => sftpOpen(sftp, remote, 'r+'),
    lane: (local, localPath, handle) => uploadLane(local, localPath, sftp, handle, buffers),
    close: (handle) => sftpClose(sftp, handle),
  };
}

async function connect(): Promise<void> {
  try {
    // These connections carry bulk data only: their packets leave in batches (coalescedSocket.ts).
    session = await SshSession.open({ hops: init.hops, hostKeyPolicy, prompter, readyTimeoutMs: init.readyTimeoutMs, keepaliveIntervalMs: init.keepaliveIntervalMs, keepaliveCountMax: init.keepaliveCountMax, connectSocket: connectCoalesced });
    const opened = session;
    channels = await Promise.all(Array.from({ length: init.channels }, () => openChannel(opened)));
    session.onClose((error) => {
      post(error ? { type: 'closed', error: toWireError(error) } : { type: 'closed' });
      port?.close();
    });
    post({ type: 'ready' });
  } catch (error) {
    session?.close();
    post({ type: 'connect-failed', error: toWireError(error) });
    port?.close();
  }
}

async function openUpload(localPath: string, remote: string): Promise<void> {
  const local = await open(localPath, 'r');
  try {
    const handles = await Promise.all(channels.map((channel) => channel.open(remote)));
    upload = { local, lanes: channels.map((channel, i) => ({ channel, handle: handles[i] as Buffer, lane: channel.lane(local, localPath, handles[i] as Buffer) })) };
  } catch (error) {
    await local.close();
    throw error;
  }
}

async function closeFile(): Promise<void> {
  const closing = upload;
  upload = undefined;
  if (!closing) return;
  await Promise.allSettled(closing.lanes.map(({ channel, handle }) => channel.close(handle)));
  await closing.local.close();
}

function copy(id: number, offset: number, length: number): void {
  const lanes = upload?.lanes;
  const lane = lanes?.[next++ % lanes.length]?.lane;
  if (!lane) {
    post({ type: 'copy-failed', id, error: { message: 'No file is open for upload on this connection.' } });
    return;
  }
  lane.copy(offset, length).then(
    () => post({ type: 'copied', id }),
    (error: unknown) => post({ type: 'copy-failed', id, error: toWireError(error) }),
  );
}

port.on('message', (message: ToConnectionWorker) => {
  switch (message.type) {
    case 'answer':
      answers.get(message.id)?.(message.value);
      answers.delete(message.id);
      return;
    case 'copy':
      copy(message.id, message.offset, message.length);
      return;
    case 'open-upload':
      openUpload(message.local, message.remote).then(
        () => post({ type: 'opened' }),
        (error: unknown) => post({ type: 'open-failed', error: toWireError(error) }),
      );
      return;
    case 'close-file':
      void closeFile().finally(() => post({ type: 'file-closed' }));
      return;
    case 'close':
      // Ends the connection; its onClose listener says so and lets the thread end.
      if (session) session.close();
      else port.close();
      return;
  }
});

void connect();
