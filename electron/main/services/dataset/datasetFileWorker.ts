// The worker thread of DatasetFileThread: runs datasetFileTasks.ts one request at a time, in the
// order they come, gathers the pieces of a text to save, and holds the checked text until it is
// written.

import { parentPort } from 'node:worker_threads';
import type { DatasetFileAnswer, DatasetFileRequest } from './datasetFileMessages';
import { checkDatasetText, openDatasetFile, writeCheckedText } from './datasetFileTasks';

let pieces: string[] = [];
let held: string | null = null;
let queue: Promise<void> = Promise.resolve();

async function answer(request: Exclude<DatasetFileRequest, { type: 'append' }>): Promise<DatasetFileAnswer> {
  switch (request.type) {
    case 'open':
      return { id: request.id, type: 'opened', opened: await openDatasetFile(request.file) };
    case 'check': {
      const text = pieces.join('');
      pieces = [];
      const check = checkDatasetText(text, request.count);
      held = 'sha256' in check ? text : null;
      return { id: request.id, type: 'checked', check };
    }
    case 'write': {
      if (held === null) throw new Error('no checked text to write');
      const text = held;
      held = null;
      return { id: request.id, type: 'written', written: await writeCheckedText(request.file, text, request.mode) };
    }
    case 'drop':
      pieces = [];
      held = null;
      return { id: request.id, type: 'dropped' };
  }
}

parentPort?.on('message', (request: DatasetFileRequest) => {
  if (request.type === 'append') {
    // In turn with the requests around it, like everything else.
    queue = queue.then(() => {
      pieces.push(request.piece);
    });
    return;
  }
  queue = queue.then(async () => {
    let reply: DatasetFileAnswer;
    try {
      reply = await answer(request);
    } catch (error) {
      reply = { id: request.id, type: 'failed', message: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException).code };
    }
    parentPort?.postMessage(reply, reply.type === 'opened' && reply.opened.outline ? [reply.opened.outline.items.buffer as ArrayBuffer] : []);
  });
});
