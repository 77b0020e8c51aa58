import { join } from 'node:path';
import type { HostsOverview, SshConfigImport } from '../../../../shared/api/contract';
import type { HostId, HostProfile, HostProfileFields, HostStatus } from '../../../../shared/hosts/hostProfile';
import type { PromptAnswer, PromptRequest } from '../../../../shared/hosts/prompts';
import { loadSshConfig, listConcreteAliases, resolveSshHost } from '../ssh/sshConfig';
import type { CommandRecord } from '../ssh/sshSession';
import { brokerPrompter } from './brokerPrompter';
import { ConnectionManager } from './connectionManager';
import { createHostKeyPolicy } from './hostKeyPolicy';
import { HostProfiles } from './hostProfiles';
import type { HostsRepository } from './hostsRepository';
import { hopsForProfile } from './hopsForProfile';
import { PromptBroker } from './promptBroker';
import type { SecretStore } from './secretStore';

export interface HostsServiceOptions {
  repository: HostsRepository;
  secrets: SecretStore;
  dataDir: string;
  home: string;
  localUser: string;
  events: {
    profiles(profiles: HostProfile[]): void;
    status(status: HostStatus): void;
    prompt(request: PromptRequest): void;
    promptSettled(promptId: string): void;
  };
  /** Every command run on a host, for the audit trail. */
  onCommand?(hostId: HostId, record: CommandRecord): void;
  /** Known_hosts files read besides the app's own (default: the user's OpenSSH files). */
  userKnownHosts?: string[];
}

/** Host profiles, their connections and the questions those connections ask. */
export class HostsService {
  readonly profiles: HostProfiles;
  readonly connections: ConnectionManager;
  private readonly broker: PromptBroker;

  constructor(private readonly options: HostsServiceOptions) {
    this.profiles = new HostProfiles(options.repository, options.events.profiles);
    this.broker = new PromptBroker(options.events.prompt, options.events.promptSettled);
    this.connections = new ConnectionManager({
      profile: (id) => this.profiles.get(id),
      hops: async (profile) => hopsForProfile(profile, await this.profiles.list(), options.home),
      hostKeyPolicy: (profile, signal) =>
        createHostKeyPolicy({
          userFiles: options.userKnownHosts,
          appFile: join(options.dataDir, 'known_hosts'),
          decide: async (question) => {
            const answer = await this.broker.ask({ kind: 'host-key', hostId: profile.id, ...question }, signal);
            return !!answer && 'accept' in answer && answer.accept;
          },
        }),
      prompter: (profile, signal) => brokerPrompter(profile, this.broker, options.secrets, signal),
      onStatus: options.events.status,
      onCommand: options.onCommand,
    });
  }

  async overview(): Promise<HostsOverview> {
    const persistence = this.options.secrets.persistence();
    return {
      profiles: await this.profiles.list(),
      statuses: this.connections.statuses(),
      prompts: this.broker.open(),
      problems: this.profiles.problems,
      secrets: { canRemember: persistence.available, reason: persistence.reason },
    };
  }

  add(fields: HostProfileFields): Promise<HostProfile> {
    return this.profiles.add(fields);
  }

  update(id: HostId, fields: HostProfileFields): Promise<HostProfile> {
    return this.profiles.update(id, fields);
  }

  async remove(id: HostId): Promise<void> {
    this.connections.disconnect(id);
    await this.profiles.remove(id);
  }

  async connect(id: HostId): Promise<HostStatus> {
    await this.connections.connect(id).catch(() => undefined);
    return this.connections.status(id);
  }

  disconnect(id: HostId): void {
    this.connections.disconnect(id);
  }

  answer(answer: PromptAnswer): boolean {
    return this.broker.answer(answer);
  }

  /** Hosts from ~/.ssh/config, resolved like OpenSSH would, for the user to pick from. */
  async importSshConfig(): Promise<SshConfigImport> {
    const file = join(this.options.home, '.ssh', 'config');
    const { config, problems } = await loadSshConfig({ path: file, home: this.options.home });
    const candidates = listConcreteAliases(config).map((alias) => {
      const host = resolveSshHost(config, alias, { localUser: this.options.localUser, home: this.options.home });
      return {
        alias,
        name: alias,
        host: host.hostName,
        port: host.port,
        user: host.user ?? this.options.localUser,
        auth: host.identityFiles.length ? ('key' as const) : ('auto' as const),
        identityFile: host.identityFiles[0] ?? null,
        jump: host.proxyJump,
      };
    });
    return { file, candidates, problems: problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`) };
  }

  shutdown(): void {
    this.connections.disconnectAll();
  }
}
