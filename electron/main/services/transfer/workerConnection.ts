import type { Worker } from 'node:worker_threads';
import { SshError } from '../ssh/sshErrors';
import { startModuleWorker } from '../workers/moduleWorker';
import type { SessionOptions } from '../ssh/sshSession';
import type { PumpLane } from './chunkPump';
import { fromWireError, toWireError } from './connectionMessages';
import type { ConnectionQuestion, ConnectionWorkerData, FromConnectionWorker, ToConnectionWorker, WireError } from './connectionMessages';


type FileReply = Extract<FromConnectionWorker, { type: 'opened' | 'open-failed' | 'file-closed' }>;

/**
 * An extra SSH connection to the session's host, living in a worker thread: the worker logs in
 * with the session's options, asking this thread's host-key policy and prompter, then writes
 * the chunks of an upload that it is handed through `openUpload`'s lane.
 */
export class WorkerConnection {
  private closedWith: Error | undefined;
  private ready = false;
  private readonly copies = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private copyId = 0;
  private fileReply: ((reply: FileReply | undefined) => void) | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly options: SessionOptions,
    private readonly started: { resolve: (connection: WorkerConnection) => void; reject: (error: Error) => void },
  ) {
    worker.on('message', (message: FromConnectionWorker) => this.receive(message));
    worker.on('error', (error) => this.end(error));
    worker.on('exit', () => this.end(new SshError('network', 'The transfer connection ended.')));
  }

  /**
   * Connects; undefined when a worker cannot carry this session (its socket was made on this
   * thread, or the worker script was not built), an SshError when the login failed.
   */
  static start(options: SessionOptions, channels: number): Promise<WorkerConnection | undefined> {
    if (options.connectSocket) return Promise.resolve(undefined);
    const { hops, readyTimeoutMs, keepaliveIntervalMs, keepaliveCountMax } = options;
    const worker = startModuleWorker(import.meta.url, 'connectionWorker', { workerData: { hops, readyTimeoutMs, keepaliveIntervalMs, keepaliveCountMax, channels } satisfies ConnectionWorkerData });
    if (!worker) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => new WorkerConnection(worker, options, { resolve, reject }));
  }

  get isOpen(): boolean {
    return this.closedWith === undefined;
  }

  /** Opens `local` for reading and `remote` (which must exist) for writing; the lane copies byte ranges between them. */
  async openUpload(local: string, remote: string): Promise<PumpLane> {
    const reply = await this.fileRequest({ type: 'open-upload', local, remote });
    if (reply?.type === 'open-failed') throw fromWireError(reply.error);
    return { copy: (offset, length) => this.copy(offset, length) };
  }

  /** Closes the file `openUpload` opened. */
  async closeFile(): Promise<void> {
    await this.fileRequest({ type: 'close-file' }).catch(() => undefined);
  }

  close(): void {
    if (this.ready && this.isOpen) this.post({ type: 'close' });
    else void this.worker.terminate();
    // The worker ends once its connection has; nothing here waits for that.
    this.worker.unref();
  }

  private copy(offset: number, length: number): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = ++this.copyId;
    return new Promise((resolve, reject) => {
      this.copies.set(id, { resolve, reject });
      this.post({ type: 'copy', id, offset, length });
    });
  }

  private fileRequest(message: ToConnectionWorker): Promise<FileReply | undefined> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      this.fileReply = (reply) => (reply ? resolve(reply) : reject(this.closedWith));
      this.post(message);
    });
  }

  private post(message: ToConnectionWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromConnectionWorker): void {
    switch (message.type) {
      case 'ask':
        void this.answer(message.question).then((value) => this.post({ type: 'answer', id: message.id, value }));
        return;
      case 'ready':
        this.ready = true;
        this.started.resolve(this);
        return;
      case 'connect-failed':
        this.end(fromWireError(message.error));
        return;
      case 'copied':
      case 'copy-failed': {
        const waiting = this.copies.get(message.id);
        this.copies.delete(message.id);
        if (message.type === 'copied') {
          waiting?.resolve();
          return;
        }
        const error = fromWireError(message.error);
        // The channel closed under the request: the link dropped, even if the worker's word of
        // its connection closing is still on its way.
        if (message.error.code === 'ECONNRESET') this.end(error);
        waiting?.reject(error);
        return;
      }
      case 'closed':
        this.end(message.error ? fromWireError(message.error) : new SshError('network', 'The transfer connection closed.'));
        return;
      default: {
        const reply = this.fileReply;
        this.fileReply = undefined;
        reply?.(message);
      }
    }
  }

  private async answer(question: ConnectionQuestion): Promise<true | WireError | string | string[] | undefined> {
    const { hostKeyPolicy, prompter } = this.options;
    try {
      switch (question.kind) {
        case 'host-key': {
          const verdict = await hostKeyPolicy(question.hop, question.key);
          return verdict === true ? true : toWireError(verdict);
        }
        case 'password':
          return await prompter.password(question.hop);
        case 'passphrase':
          return await prompter.passphrase(question.hop, question.keyPath, question.retry);
        case 'keyboard-interactive':
          return await prompter.keyboardInteractive(question.hop, question.challenge);
      }
    } catch (error) {
      // A policy that failed refuses the key; a prompt that failed counts as cancelled.
      return question.kind === 'host-key' ? toWireError(error) : undefined;
    }
  }

  /** Settles everything still waiting: the start, the copies in flight, a file request. */
  private end(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    if (!this.ready) this.started.reject(error);
    for (const { reject } of this.copies.values()) reject(error);
    this.copies.clear();
    const reply = this.fileReply;
    this.fileReply = undefined;
    reply?.(undefined);
  }
}
