import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { parseTarget } from '../../../../shared/ssh/target';
import type { SshHop } from '../ssh/sshSession';

/** The keys OpenSSH tries when none is configured, in its order. */
export function defaultIdentityFiles(home = homedir()): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name));
}

/** `~/.ssh/id_ed25519` as people write it in forms and configs. */
export function expandHome(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export function hopForProfile(profile: Pick<HostProfile, 'host' | 'port' | 'user' | 'auth' | 'identityFile'>, home = homedir()): SshHop {
  const auto = profile.auth === 'auto';
  const keys = profile.identityFile ? [expandHome(profile.identityFile, home)] : auto || profile.auth === 'key' ? defaultIdentityFiles(home) : [];
  return {
    host: profile.host.replace(/^\[(.*)\]$/, '$1'),
    port: profile.port,
    username: profile.user,
    identityFiles: auto || profile.auth === 'key' ? keys : [],
    useAgent: auto || profile.auth === 'agent',
    allowPassword: auto || profile.auth === 'password',
    allowKeyboardInteractive: auto || profile.auth === 'keyboard-interactive',
  };
}

/**
 * The chain to reach a profile: each jump entry names another profile or is `[user@]host[:port]`
 * (tried with the usual automatic methods), then the target itself.
 */
export function hopsForProfile(profile: HostProfile, all: readonly HostProfile[], home = homedir()): SshHop[] {
  const jumps = profile.jump.map((entry) => {
    const named = all.find((candidate) => candidate.name === entry && candidate.id !== profile.id);
    if (named) return hopForProfile(named, home);
    const parsed = parseTarget(entry);
    if (!parsed.ok) throw new RangeError(`Jump host "${entry}": ${parsed.error}`);
    const { user, host, port } = parsed.target;
    return hopForProfile({ host, port: port ?? 22, user: user ?? profile.user, auth: 'auto', identityFile: null }, home);
  });
  return [...jumps, hopForProfile(profile, home)];
}
