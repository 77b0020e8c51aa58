import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';

/**
 * Where the transfer tests move files: a simulated DevServer, a local folder, and a "remote" folder
 * the server's user can write to, on this same machine so the tests can look at what arrived.
 */
export interface TransferPlace {
  server: SimulatedDevServer;
  local: string;
  remote: string;
}

export async function startTransferPlace(name: string): Promise<TransferPlace> {
  const server = await startDevServer({ name });
  const local = mkdtempSync(join(tmpdir(), `qvl-${name}-local-`));
  const remote = mkdtempSync(join(tmpdir(), `qvl-${name}-remote-`));
  chmodSync(remote, 0o777);
  return { server, local, remote };
}

export async function stopTransferPlace(place: Partial<TransferPlace>): Promise<void> {
  await place.server?.stop();
  for (const dir of [place.local, place.remote]) if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A local file of random bytes under `local` (folders made as needed). */
export function makeFile(local: string, name: string, bytes: number): string {
  const path = join(local, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, randomBytes(bytes));
  return path;
}

export const sha256File = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
