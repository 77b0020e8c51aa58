/**
 * Saved passwords and passphrases. The desktop app encrypts them with the OS keyring
 * (safeStorage); browser mode and the CLI keep them in memory for the session only.
 */
export interface SecretStore {
  /** Whether secrets can be saved across restarts, and if not, why (shown to the user). */
  persistence(): { available: boolean; reason: string | null };
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string, persist: boolean): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  constructor(private readonly reason = 'Browser mode and the CLI keep secrets in memory only.') {}

  persistence() {
    return { available: false, reason: this.reason };
  }
  async get(key: string) {
    return this.secrets.get(key);
  }
  async set(key: string, secret: string) {
    this.secrets.set(key, secret);
  }
  async delete(key: string) {
    this.secrets.delete(key);
  }
}

export function passwordKey(hostId: string): string {
  return `password:${hostId}`;
}

export function passphraseKey(keyPath: string): string {
  return `passphrase:${keyPath}`;
}
