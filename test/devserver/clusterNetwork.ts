/**
 * The network the simulated DevServers of one test process share, as the nodes of a cluster do:
 * a folder (QVL_SIM_NETWORK in their sessions) where the simulated torchrun's rendezvous stores
 * live, keyed by MASTER_PORT (bin/rendezvous.sh). Servers of other processes get their own, so
 * parallel test runs never meet. Made when the first server starts, removed with the last one.
 */
import { rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let folder: Promise<string> | undefined;
let made: string | undefined;
let users = 0;

/** The shared folder, writable by the servers' login user. */
export function joinNetwork(uid: number, gid: number): Promise<string> {
  users++;
  folder ??= mkdtemp(join(tmpdir(), 'qvl-sim-network-')).then(async (dir) => {
    made = dir;
    await chown(dir, uid, gid);
    return dir;
  });
  return folder;
}

export async function leaveNetwork(): Promise<void> {
  users = Math.max(0, users - 1);
  const last = users === 0 ? folder : undefined;
  if (!last) return;
  // Forgotten before the await: a server that starts meanwhile makes a new one.
  folder = undefined;
  made = undefined;
  await rm(await last, { recursive: true, force: true });
}

/** Synchronous last resort for process exit. */
export function abandonNetwork(): void {
  if (made) rmSync(made, { recursive: true, force: true });
}
