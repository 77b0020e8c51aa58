import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect } from 'vitest';

/**
 * Runs test/support/datasetEditChild.ts (a workspace editing `file`, autosaving every `autosaveMs`,
 * pausing `pauseMs` between edits) until it has acknowledged `acks` edits, then SIGKILLs it: the
 * app killed in the middle of drawing. Returns how many samples it opened and the last edit acked.
 */
export async function editAndKill(dataDir: string, file: string, acks: number, autosaveMs: number, pauseMs: number): Promise<{ opened: number; acked: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/datasetEditChild.ts', dataDir, file, String(autosaveMs), String(pauseMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let opened = -1;
  let acked = -1;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    if (word === 'open') opened = Number(value);
    if (word === 'ack') acked = Number(value);
    if (acked === acks - 1) {
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited, stderr).toBe('SIGKILL');
  return { opened, acked };
}
