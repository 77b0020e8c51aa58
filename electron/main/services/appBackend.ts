import { contract } from '../../../shared/api/contract';
import type { AppInfo, Contract, Runtime } from '../../../shared/api/contract';
import { createDispatcher, createEventHub } from '../../../shared/api/dispatcher';
import type { Dispatcher, EventHub, Handlers } from '../../../shared/api/dispatcher';
import type { Language } from '../../../shared/settings/settings';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { APP_VERSION } from './appVersion';
import type { HostsRepository } from './hosts/hostsRepository';
import { HostsService } from './hosts/hostsService';
import type { SecretStore } from './hosts/secretStore';
import { TransfersService } from './transfer/transfersService';
import { AuditLog } from './audit/auditLog';
import { WizardService } from './guide/wizardService';
import { modelartsQwenVl6310 } from '../../../shared/guide/modelartsQwenVl6310';
import { PRODUCT_NAME } from './paths/userDataDir';
import type { SettingsRepository } from './settings/settingsRepository';
import { createSettingsService } from './settings/settingsService';
import type { SettingsService } from './settings/settingsService';

export interface AppBackendOptions {
  runtime: Runtime;
  settings: SettingsRepository;
  hosts: HostsRepository;
  secrets: SecretStore;
  launchLanguage: Language | null;
  /** The user-data folder: the app's known_hosts and the transfer list live here. */
  dataDir: string;
  home?: string;
  /** Known_hosts files read besides the app's own (default: the user's OpenSSH files). */
  userKnownHosts?: string[];
}

export interface AppBackend {
  dispatcher: Dispatcher;
  events: EventHub<Contract>;
  settings: SettingsService;
  hosts: HostsService;
  /** Closes every connection (on quit). */
  shutdown(): void;
}

/**
 * Every service behind the contract, wired once. The Electron main process and the browser-mode
 * server both call this and differ only in their adapters and transport.
 */
export function createAppBackend(options: AppBackendOptions): AppBackend {
  const events = createEventHub(contract);
  const settings = createSettingsService(options.settings, (next) => events.emit('settings:onDidChange', next));
  const home = options.home ?? homedir();
  const audit = new AuditLog();
  const hosts = new HostsService({
    onCommand: (hostId, record) => audit.record(hostId, record),
    repository: options.hosts,
    secrets: options.secrets,
    dataDir: options.dataDir,
    home,
    localUser: userInfo().username,
    userKnownHosts: options.userKnownHosts,
    events: {
      profiles: (profiles) => events.emit('hosts:onDidChangeProfiles', profiles),
      status: (status) => events.emit('hosts:onDidChangeStatus', status),
      prompt: (request) => events.emit('hosts:onDidRequestPrompt', request),
      promptSettled: (promptId) => events.emit('hosts:onDidSettlePrompt', { promptId }),
    },
  });
  const transfers = new TransfersService({
    session: (id) => hosts.connections.session(id),
    onUpdate: (job) => events.emit('transfers:onDidUpdate', job),
    file: join(options.dataDir, 'transfers.json'),
  });
  const wizard = new WizardService(modelartsQwenVl6310, (id) => hosts.connections.session(id));
  // `--lang` holds until the user picks a language; from then on their saved choice wins.
  let launchLanguage = options.launchLanguage;
  const handlers: Handlers<Contract> = {
    'app:getInfo': (): AppInfo => ({ name: PRODUCT_NAME, version: APP_VERSION, runtime: options.runtime, platform: process.platform, launchLanguage }),
    'settings:get': () => settings.get(),
    'settings:update': (patch) => {
      if (patch.language) launchLanguage = null;
      return settings.update(patch);
    },
    'hosts:list': () => hosts.overview(),
    'hosts:add': (fields) => hosts.add(fields),
    'hosts:update': ({ id, fields }) => hosts.update(id, fields),
    'hosts:remove': ({ id }) => hosts.remove(id),
    'hosts:connect': ({ id }) => hosts.connect(id),
    'hosts:disconnect': ({ id }) => hosts.disconnect(id),
    'hosts:importSshConfig': () => hosts.importSshConfig(),
    'hosts:answerPrompt': (answer) => hosts.answer(answer),
    'transfers:list': () => transfers.list(),
    'transfers:start': (request) => transfers.start(request),
    'transfers:cancel': ({ jobId }) => transfers.cancel(jobId),
    'audit:list': ({ hostId }) => audit.list(hostId),
    'guide:get': () => wizard.view(),
    'guide:check': ({ hostIds, stepId, params }) => wizard.check(hostIds, stepId, params),
    'guide:previewFix': ({ stepId, itemId, params }) => wizard.previewFix(stepId, itemId, params),
    'guide:runFix': ({ hostId, stepId, itemId, params }) => wizard.runFix(hostId, stepId, itemId, params),
  };
  return { dispatcher: createDispatcher(contract, handlers), events, settings, hosts, shutdown: () => hosts.shutdown() };
}
