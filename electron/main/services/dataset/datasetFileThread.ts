/**
 * Where a workspace's dataset file is opened, checked and written: a worker thread of its own
 * (datasetFileWorker.ts), so that reading, parsing, hashing and writing a 100,000-sample file
 * never blocks the main process for long. For a small file, or without the worker's script (a
 * build that lacks it), the same tasks run on the calling thread. Requests are answered in the
 * order they are made.
 */

import { stat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../workers/moduleWorker';
import type { DatasetFileAnswer, DatasetFileRequest } from './datasetFileMessages';
import type { OpenedDatasetFile, TextCheck, WrittenFile } from './datasetFileTasks';
import { checkDatasetText, openDatasetFile, writeCheckedText } from './datasetFileTasks';

/** About 3,000 samples: parsing takes tens of milliseconds from here on. */
const WORKER_MIN_BYTES = 1024 * 1024;

type Request = DatasetFileRequest extends infer R ? (R extends DatasetFileRequest ? Omit<R, 'id'> : never) : never;

export class DatasetFileThread {
  private readonly waiting = new Map<number, { resolve: (answer: DatasetFileAnswer) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  /** Without a worker: the pieces appended, and the text the last check passed. */
  private pieces: string[] = [];
  private held: string | null = null;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker | null) {
    if (!worker) return;
    worker.unref();
    worker.on('message', (answer: DatasetFileAnswer) => {
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (this.waiting.size === 0) worker.unref();
      waiter?.resolve(answer);
    });
    const gone = (error?: Error): void => {
      this.failure = error ?? new Error('the dataset file worker stopped');
      for (const waiter of this.waiting.values()) waiter.reject(this.failure);
      this.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', () => gone());
  }

  static start(): DatasetFileThread {
    return new DatasetFileThread(startModuleWorker(import.meta.url, 'datasetFileWorker') ?? null);
  }

  /** A worker for a file of WORKER_MIN_BYTES or more; the calling thread for a smaller (or absent)
   * one, which it parses and writes in a few milliseconds, less than starting a worker takes. */
  static async forFile(file: string): Promise<DatasetFileThread> {
    const size = await stat(file).then(
      (stats) => stats.size,
      () => 0,
    );
    return size >= WORKER_MIN_BYTES ? DatasetFileThread.start() : new DatasetFileThread(null);
  }

  /** Reads and parses the file (an absent one reads as empty). */
  async open(file: string): Promise<OpenedDatasetFile> {
    if (!this.worker) return openDatasetFile(file);
    const answer = await this.request({ type: 'open', file });
    if (answer.type !== 'opened') throw unexpected(answer);
    return answer.opened;
  }

  /** Adds a piece to the text to save. Sending the text piece by piece as it is built spares this
   * thread copying all of it in one go. */
  append(piece: string): void {
    if (!this.worker) this.pieces.push(piece);
    else if (!this.failure) this.worker.postMessage({ id: 0, type: 'append', piece } satisfies DatasetFileRequest);
  }

  /** Checks that the pieces make a list of `count` samples and hashes the text; a passed text is held for `write`. */
  async check(count: number): Promise<TextCheck> {
    if (!this.worker) {
      const text = this.pieces.join('');
      this.pieces = [];
      const check = checkDatasetText(text, count);
      this.held = 'sha256' in check ? text : null;
      return check;
    }
    const answer = await this.request({ type: 'check', count });
    if (answer.type !== 'checked') throw unexpected(answer);
    return answer.check;
  }

  /** Writes the text the last check passed, atomically. */
  async write(file: string, mode: number | null): Promise<WrittenFile> {
    if (!this.worker) {
      const text = this.held;
      this.held = null;
      if (text === null) throw new Error('no checked text to write');
      return writeCheckedText(file, text, mode);
    }
    const answer = await this.request({ type: 'write', file, mode });
    if (answer.type !== 'written') throw unexpected(answer);
    return answer.written;
  }

  /** Lets go of the pieces and of a checked text that will not be written. */
  async drop(): Promise<void> {
    this.pieces = [];
    this.held = null;
    if (this.worker && !this.failure) await this.request({ type: 'drop' });
  }

  close(): void {
    void this.worker?.terminate();
  }

  private request(request: Request): Promise<DatasetFileAnswer> {
    const worker = this.worker as Worker;
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as DatasetFileRequest);
    });
  }
}

function unexpected(answer: DatasetFileAnswer): Error {
  if (answer.type === 'failed') return Object.assign(new Error(answer.message), answer.code === undefined ? {} : { code: answer.code });
  return new Error(`the dataset file worker answered ${answer.type}`);
}
