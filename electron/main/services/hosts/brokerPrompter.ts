import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { AuthPrompter } from '../ssh/sshSession';
import type { PromptBroker } from './promptBroker';
import { passphraseKey, passwordKey } from './secretStore';
import type { SecretStore } from './secretStore';

/**
 * Answers login questions for one profile: from the secret store when the user saved a secret,
 * else by asking the user through the broker. Secrets only ever travel renderer → main.
 */
export function brokerPrompter(profile: HostProfile, broker: PromptBroker, secrets: SecretStore, signal: AbortSignal): AuthPrompter {
  const persistence = secrets.persistence();
  const remember = { canRemember: persistence.available, rememberUnavailableReason: persistence.reason };
  const usedSaved = new Set<string>();
  const secret = async (key: string, ask: () => ReturnType<PromptBroker['ask']>): Promise<string | undefined> => {
    // A saved secret is tried once per attempt; if the server refuses it, the user is asked.
    const saved = usedSaved.has(key) ? undefined : await secrets.get(key);
    if (saved !== undefined) {
      usedSaved.add(key);
      return saved;
    }
    const answer = await ask();
    if (!answer || !('secret' in answer)) return undefined;
    if (answer.remember) await secrets.set(key, answer.secret, persistence.available);
    else if (usedSaved.has(key)) await secrets.delete(key);
    return answer.secret;
  };
  return {
    password: (hop) => secret(passwordKey(profile.id), () => broker.ask({ kind: 'password', hostId: profile.id, host: hop.host, user: hop.username, ...remember }, signal)),
    passphrase: (_hop, keyPath, retry) => {
      if (retry) usedSaved.add(passphraseKey(keyPath));
      return secret(passphraseKey(keyPath), () => broker.ask({ kind: 'passphrase', hostId: profile.id, keyPath, retry, ...remember }, signal));
    },
    keyboardInteractive: async (hop, challenge) => {
      const answer = await broker.ask({ kind: 'keyboard-interactive', hostId: profile.id, host: hop.host, ...challenge }, signal);
      return answer && 'responses' in answer ? answer.responses : undefined;
    },
  };
}
