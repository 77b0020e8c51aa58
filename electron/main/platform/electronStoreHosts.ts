import Store from 'electron-store';
import type { HostsRepository } from '../services/hosts/hostsRepository';

/** Host profiles in electron-store's `hosts.json`: names, addresses and key paths, never secrets. */
export class ElectronStoreHosts implements HostsRepository {
  private readonly store = new Store<{ hosts: unknown[] }>({ name: 'hosts', defaults: { hosts: [] } });

  async load(): Promise<unknown> {
    return this.store.get('hosts');
  }

  async save(profiles: unknown[]): Promise<void> {
    this.store.set('hosts', profiles);
  }
}
