import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseTarget } from '../../shared/ssh/target';
import { hopForProfile } from '../main/services/hosts/hopsForProfile';
import { createHostKeyPolicy } from '../main/services/hosts/hostKeyPolicy';
import { userDataDir } from '../main/services/paths/userDataDir';
import { loadSshConfig, resolveSshHost } from '../main/services/ssh/sshConfig';
import { SshSession } from '../main/services/ssh/sshSession';
import type { SshHop } from '../main/services/ssh/sshSession';
import { askLine, terminalPrompter } from './terminalPrompts';

export interface CliConnectionOptions {
  /** Keys to try first, in order (`--identity` may be given several times, like ssh -i). */
  identity?: readonly string[] | undefined;
  acceptNew: boolean;
  /** Where to tell the user what is happening (stderr). */
  log: (line: string) => void;
  interactive: boolean;
  home?: string;
  dataDir?: string;
}

export class CliUsageError extends Error {}

/**
 * The CLI's target syntax: `[user@]host[:port]` or a ~/.ssh/config alias (HostName, Port, User,
 * IdentityFile and ProxyJump are honoured). `--identity` comes first among the keys tried.
 */
export async function resolveHops(targetText: string, options: Pick<CliConnectionOptions, 'identity' | 'home'>): Promise<SshHop[]> {
  const parsed = parseTarget(targetText);
  if (!parsed.ok) throw new CliUsageError(`Bad target "${targetText}": ${parsed.error}`);
  const home = options.home ?? homedir();
  const localUser = userInfo().username;
  const { config } = await loadSshConfig({ path: join(home, '.ssh', 'config'), home });
  const toHop = (target: { user?: string | undefined; host: string; port?: number | undefined }, identity: readonly string[] = []): SshHop => {
    const resolved = resolveSshHost(config, target.host, { localUser, home });
    const hop = hopForProfile({ host: resolved.hostName, port: target.port ?? resolved.port, user: target.user ?? resolved.user ?? localUser, auth: 'auto', identityFile: null }, home);
    const keys = [...identity, ...resolved.identityFiles, ...hop.identityFiles];
    return { ...hop, identityFiles: [...new Set(keys)] };
  };
  const resolvedTarget = resolveSshHost(config, parsed.target.host, { localUser, home });
  const jumps = resolvedTarget.proxyJump.map((jump) => {
    const jumpTarget = parseTarget(jump);
    if (!jumpTarget.ok) throw new CliUsageError(`Bad ProxyJump "${jump}" for ${targetText}: ${jumpTarget.error}`);
    return toHop(jumpTarget.target);
  });
  return [...jumps, toHop(parsed.target, options.identity)];
}

export async function openCliSession(targetText: string, options: CliConnectionOptions): Promise<SshSession> {
  const hops = await resolveHops(targetText, options);
  const hostKeyPolicy = createHostKeyPolicy({
    appFile: join(options.dataDir ?? userDataDir(), 'known_hosts'),
    decide: async (question) => {
      const where = question.port === 22 ? question.host : `[${question.host}]:${question.port}`;
      if (options.acceptNew) {
        options.log(`Warning: permanently added '${where}' (${question.keyType} ${question.fingerprint}) to the list of known hosts.`);
        return true;
      }
      if (!options.interactive) {
        options.log(`The host key of ${where} is not known (${question.keyType} ${question.fingerprint}). Run interactively to confirm it, or pass --accept-new to trust a first-seen key.`);
        return false;
      }
      options.log(`The authenticity of host '${where}' can't be established.\n${question.keyType} key fingerprint is ${question.fingerprint}.`);
      if (question.otherKeyTypes.length) options.log(`This host is already known with other key types: ${question.otherKeyTypes.join(', ')}.`);
      const answer = await askLine('Are you sure you want to continue connecting (yes/no)? ', false);
      return answer?.trim().toLowerCase() === 'yes';
    },
  });
  return SshSession.open({ hops, hostKeyPolicy, prompter: terminalPrompter(options.interactive) });
}
