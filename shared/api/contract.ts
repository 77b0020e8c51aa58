import { z } from 'zod';
import { Language, Settings, SettingsPatch } from '../settings/settings';
import { event, method } from './contractTypes';
import type { ApiOf, EventSpec, MethodSpec } from './contractTypes';
import type { EventChannel, MethodChannel } from './channels';

export const Runtime = z.enum(['electron', 'web']);
export type Runtime = z.infer<typeof Runtime>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  runtime: Runtime,
  platform: z.string(),
  /** Set by `--lang en|zh` at launch; wins over the saved preference for this run only. */
  launchLanguage: Language.nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const none = z.undefined();

/**
 * The one API between the renderer and the main process. Method names are `domain:action`,
 * push events `domain:onDidX`. Later features add their domains here and their names to channels.ts.
 */
export const contract = {
  methods: {
    'app:getInfo': method(none, AppInfo),
    'settings:get': method(none, Settings),
    'settings:update': method(SettingsPatch, Settings),
  } satisfies Record<MethodChannel, MethodSpec>,
  events: {
    'settings:onDidChange': event(Settings),
  } satisfies Record<EventChannel, EventSpec>,
} as const;

export type Contract = typeof contract;
export type Api = ApiOf<Contract>;
