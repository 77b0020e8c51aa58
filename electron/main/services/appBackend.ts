import { contract } from '../../../shared/api/contract';
import type { AppInfo, Contract, Runtime } from '../../../shared/api/contract';
import { createDispatcher, createEventHub } from '../../../shared/api/dispatcher';
import type { Dispatcher, EventHub, Handlers } from '../../../shared/api/dispatcher';
import type { Language } from '../../../shared/settings/settings';
import type { HostStatus } from '../../../shared/hosts/hostProfile';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { APP_VERSION } from './appVersion';
import type { HostsRepository } from './hosts/hostsRepository';
import { HostsService } from './hosts/hostsService';
import type { SecretStore } from './hosts/secretStore';
import { TransfersService } from './transfer/transfersService';
import { AuditLog } from './audit/auditLog';
import { WizardService } from './guide/wizardService';
import { WizardProgressStore } from './guide/wizardProgressStore';
import { TerminalService } from './terminal/terminalService';
import { LogFollowerService } from './logs/logFollowerService';
import { DatasetWorkspaceService } from './dataset/workspaceService';
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
  /** Closes every terminal and connection (on quit). */
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
  const wizard = new WizardService(modelartsQwenVl6310, (id) => hosts.connections.session(id), {
    store: new WizardProgressStore(join(options.dataDir, 'guide-progress.json')),
    onActionEvent: (event) => events.emit('guide:onDidProgress', event),
    // Called only once the backend is wired, by which time the dataset service below exists.
    planDataset: (workspaceId, targetDir) => datasets.uploadPlan(workspaceId, targetDir),
  });
  const terminals = new TerminalService({
    session: (id) => hosts.connections.session(id),
    profile: (id) => hosts.profiles.get(id),
    logDir: join(options.dataDir, 'terminal-logs'),
    onData: (data) => events.emit('terminal:onDidData', data),
    onChange: (info) => events.emit('terminal:onDidChange', info),
  });
  const remoteLogs = new LogFollowerService({
    session: (id) => hosts.connections.session(id),
    hostStatus: (id) => hosts.connections.status(id),
    emitInfo: (info) => events.emit('logs:onDidChange', info),
    emitBatch: (batch) => events.emit('logs:onDidAppend', batch),
  });
  const datasets = new DatasetWorkspaceService({
    dataDir: options.dataDir,
    home,
    onChange: (info) => events.emit('dataset:onDidChange', info),
    onProgress: (progress) => events.emit('dataset:onDidProgress', progress),
  });
  // Followed logs wait on their host's reconnects.
  events.subscribe((name, payload) => {
    if (name === 'hosts:onDidChangeStatus') remoteLogs.hostStatusChanged(payload as HostStatus);
  });
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
    'guide:getProgress': () => wizard.progress(),
    'guide:previewAction': (request) => wizard.previewAction(request),
    'guide:runAction': (request) => wizard.runAction(request),
    'guide:cancelAction': (ref) => wizard.cancelAction(ref),
    'guide:previewStop': (request) => wizard.previewStop(request),
    'guide:stopTraining': (request) => wizard.stopTraining(request),
    'guide:uploadDataset': (request) => wizard.uploadDataset(request),
    'terminal:open': (request) => terminals.open(request),
    'terminal:list': () => terminals.list(),
    'terminal:write': ({ id, data }) => terminals.write(id, data),
    'terminal:resize': ({ id, cols, rows }) => terminals.resize(id, cols, rows),
    'terminal:ack': ({ id, chars }) => terminals.acknowledge(id, chars),
    'terminal:busy': ({ id }) => terminals.busy(id),
    'terminal:close': ({ id }) => terminals.close(id),
    'logs:follow': ({ hostId, path }) => remoteLogs.open(hostId, path, 'follow'),
    'logs:openRemote': ({ hostId, path }) => remoteLogs.open(hostId, path, 'review'),
    'logs:unfollow': ({ id }) => remoteLogs.stop(id),
    'logs:close': ({ id }) => remoteLogs.close(id),
    'logs:list': () => remoteLogs.list(),
    'logs:points': ({ id, from }) => remoteLogs.points(id, from),
    'dataset:open': (request) => datasets.open(request),
    'dataset:workspaces': () => datasets.list(),
    'dataset:list': ({ id, filter }) => datasets.filter(id, filter),
    'dataset:rows': ({ id, from, count }) => datasets.rows(id, from, count),
    'dataset:sample': ({ id, index }) => datasets.sample(id, index),
    'dataset:image': ({ id, path }) => datasets.image(id, path),
    'dataset:update': ({ id, index, sample }) => datasets.update(id, index, sample),
    'dataset:insert': ({ id, index, sample }) => datasets.insert(id, index, sample),
    'dataset:remove': ({ id, index }) => datasets.remove(id, index),
    'dataset:renameLabel': ({ id, from, to }) => datasets.renameLabel(id, from, to),
    'dataset:undoRenameLabel': ({ id, undo }) => datasets.undoRenameLabel(id, undo),
    'dataset:keepExifRotation': ({ id, index, path }) => datasets.keepExifRotation(id, index, path),
    'dataset:writeUprightCopy': ({ id, index, path, mime, base64 }) => datasets.writeUprightCopy(id, index, path, mime, Buffer.from(base64, 'base64')),
    'dataset:save': ({ id, file, overwrite }) => datasets.save(id, { ...(file !== undefined && { file }), ...(overwrite !== undefined && { overwrite }) }),
    'dataset:close': ({ id }) => datasets.close(id),
    'dataset:validate': ({ id }) => datasets.validate(id),
    'dataset:import': (request) => datasets.importAnnotations(request),
    'dataset:export': ({ id, to, file }) => datasets.exportTo(id, to, file),
    'dataset:uploadPlan': ({ id, targetDir }) => datasets.uploadPlan(id, targetDir),
    'files:list': ({ dir }) => datasets.listFiles(dir),
  };
  const shutdown = () => {
    // Pending edits are already in the journals; this writes them to the files if there is time.
    void datasets.closeAll();
    remoteLogs.shutdown();
    terminals.closeAll();
    hosts.shutdown();
  };
  return { dispatcher: createDispatcher(contract, handlers), events, settings, hosts, shutdown };
}
