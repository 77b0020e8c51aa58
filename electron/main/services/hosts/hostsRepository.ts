import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomicWrite';

/** Where host profiles live: electron-store in the app, `hosts.json` in browser mode. */
export interface HostsRepository {
  load(): Promise<unknown>;
  save(profiles: unknown[]): Promise<void>;
}

export class JsonFileHostsRepository implements HostsRepository {
  constructor(private readonly file: string) {}

  async load(): Promise<unknown> {
    try {
      return (JSON.parse(await readFile(this.file, 'utf8')) as { hosts?: unknown }).hosts ?? [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`${this.file} is not readable JSON (${(error as Error).message}); fix or remove it.`);
    }
  }

  async save(profiles: unknown[]): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify({ hosts: profiles }, null, '\t')}\n`);
  }
}

export class MemoryHostsRepository implements HostsRepository {
  constructor(private profiles: unknown[] = []) {}
  async load() {
    return this.profiles;
  }
  async save(profiles: unknown[]) {
    this.profiles = structuredClone(profiles);
  }
}
