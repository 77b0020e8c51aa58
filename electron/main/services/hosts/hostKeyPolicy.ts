import { homedir } from 'node:os';
import { join } from 'node:path';
import { appendKnownHostsLine, fingerprintSha256, formatKnownHostsLine, hostKeyPattern, readKnownHostsFiles, verifyHostKey } from '../ssh/knownHosts';
import { SshError } from '../ssh/sshErrors';
import type { HostKey, HostKeyPolicy, SshHop } from '../ssh/sshSession';

export interface HostKeyQuestion {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  otherKeyTypes: string[];
}

export interface HostKeyPolicyOptions {
  /** Read as well as the app's file: the user's OpenSSH known_hosts. */
  userFiles?: string[];
  /** The app's own known_hosts, where accepted keys are appended. */
  appFile: string;
  /** Asks whether to trust a key seen for the first time. */
  decide(question: HostKeyQuestion): Promise<boolean>;
}

export function defaultUserKnownHosts(home = homedir()): string[] {
  return [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')];
}

/**
 * OpenSSH's rules: a known key passes, a first-seen key is asked about and then recorded (hashed,
 * as Debian's ssh does), a changed or revoked key is refused with both fingerprints and the fix.
 */
export function createHostKeyPolicy(options: HostKeyPolicyOptions): HostKeyPolicy {
  return async (hop: SshHop, key: HostKey) => {
    const files = [...(options.userFiles ?? defaultUserKnownHosts()), options.appFile];
    const { entries } = await readKnownHostsFiles(files);
    const verdict = verifyHostKey(entries, hop.host, hop.port, key);
    const pattern = hostKeyPattern(hop.host, hop.port);
    const fingerprint = fingerprintSha256(key.blob);
    switch (verdict.kind) {
      case 'trusted':
        return true;
      case 'revoked':
        return new SshError('host-key', `The host key of ${pattern} (${key.type} ${fingerprint}) is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}. Not connecting.`);
      case 'changed': {
        const known = verdict.known.map((entry) => `  ${entry.keyType} ${entry.fingerprint} (${entry.file}:${entry.line})`).join('\n');
        return new SshError(
          'host-key',
          [
            `WARNING: the host key of ${pattern} has CHANGED. Not connecting.`,
            `The server now presents: ${key.type} ${fingerprint}`,
            `Known before:\n${known}`,
            'This is expected after the DevServer was reimaged or reinstalled; otherwise someone may be intercepting the connection.',
            `If you trust the change, remove the old key (ssh-keygen -R '${pattern}' for ~/.ssh/known_hosts, and the line in ${options.appFile}) and connect again.`,
          ].join('\n'),
          { presented: { keyType: key.type, fingerprint }, known: verdict.known },
        );
      }
      case 'unknown': {
        const accepted = await options.decide({ host: hop.host, port: hop.port, keyType: key.type, fingerprint, otherKeyTypes: verdict.otherKeyTypes });
        // Declining is the user's choice, not a warning sign: it is reported as cancelled.
        if (!accepted) return new SshError('cancelled', `The host key of ${pattern} (${key.type} ${fingerprint}) was not accepted.`);
        await appendKnownHostsLine(options.appFile, formatKnownHostsLine(hop.host, hop.port, key, { hashed: true }));
        return true;
      }
    }
  };
}
