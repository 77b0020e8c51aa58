import { contract } from '../../../shared/api/contract';
import type { AppInfo, Contract, Runtime } from '../../../shared/api/contract';
import { createDispatcher, createEventHub } from '../../../shared/api/dispatcher';
import type { Dispatcher, EventHub, Handlers } from '../../../shared/api/dispatcher';
import type { Language } from '../../../shared/settings/settings';
import { APP_VERSION } from './appVersion';
import { PRODUCT_NAME } from './paths/userDataDir';
import type { SettingsRepository } from './settings/settingsRepository';
import { createSettingsService } from './settings/settingsService';
import type { SettingsService } from './settings/settingsService';

export interface AppBackendOptions {
  runtime: Runtime;
  settings: SettingsRepository;
  launchLanguage: Language | null;
}

export interface AppBackend {
  dispatcher: Dispatcher;
  events: EventHub<Contract>;
  settings: SettingsService;
}

/**
 * Every service behind the contract, wired once. The Electron main process and the browser-mode
 * server both call this and differ only in their adapters and transport.
 */
export function createAppBackend(options: AppBackendOptions): AppBackend {
  const events = createEventHub(contract);
  const settings = createSettingsService(options.settings, (next) => events.emit('settings:onDidChange', next));
  // `--lang` holds until the user picks a language; from then on their saved choice wins.
  let launchLanguage = options.launchLanguage;
  const handlers: Handlers<Contract> = {
    'app:getInfo': (): AppInfo => ({ name: PRODUCT_NAME, version: APP_VERSION, runtime: options.runtime, platform: process.platform, launchLanguage }),
    'settings:get': () => settings.get(),
    'settings:update': (patch) => {
      if (patch.language) launchLanguage = null;
      return settings.update(patch);
    },
  };
  return { dispatcher: createDispatcher(contract, handlers), events, settings };
}
