import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { SecretStore } from '../services/hosts/secretStore';

/**
 * Secrets the user asked to remember, encrypted by the OS keyring (Keychain, DPAPI, kwallet or
 * libsecret). Linux without a keyring falls back to `basic_text` — a hard-coded key — so there
 * the app refuses to save and says why; secrets then last for the session only.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly store = new Store<{ secrets: Record<string, string> }>({ name: 'secrets', defaults: { secrets: {} } });
  private readonly session = new Map<string, string>();

  persistence(): { available: boolean; reason: string | null } {
    if (!safeStorage.isEncryptionAvailable()) return { available: false, reason: 'The OS offers no keyring to encrypt saved passwords; they are kept until the app quits.' };
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return { available: false, reason: 'No keyring (GNOME Keyring or KWallet) is running, so a saved password would only be obfuscated; it is kept until the app quits.' };
    }
    return { available: true, reason: null };
  }

  async get(key: string): Promise<string | undefined> {
    const inSession = this.session.get(key);
    if (inSession !== undefined) return inSession;
    const stored = this.store.get('secrets')[key];
    if (stored === undefined || !this.persistence().available) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      return undefined;
    }
  }

  async set(key: string, secret: string, persist: boolean): Promise<void> {
    this.session.set(key, secret);
    if (!persist || !this.persistence().available) return;
    this.store.set('secrets', { ...this.store.get('secrets'), [key]: safeStorage.encryptString(secret).toString('base64') });
  }

  async delete(key: string): Promise<void> {
    this.session.delete(key);
    const { [key]: _removed, ...rest } = this.store.get('secrets');
    this.store.set('secrets', rest);
  }
}
