import { z } from 'zod';
import { AuditEntry } from '../audit/auditEntry';
import { CheckRequest, FixOutcome, FixPreview, FixRequest, GuideView, HostCheckResult } from '../guide/wizardApi';
import { HostId, HostProfile, HostProfileFields, HostStatus } from '../hosts/hostProfile';
import { PromptAnswer, PromptRequest } from '../hosts/prompts';
import { Language, Settings, SettingsPatch } from '../settings/settings';
import { TerminalAck, TerminalBusy, TerminalData, TerminalInfo, TerminalOpenRequest, TerminalRef, TerminalResize, TerminalWrite } from '../terminal/terminalApi';
import { TransferJob, TransferRequest } from '../transfers/transferJob';
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
/** Methods that answer nothing but success. */
const done = z.void();

export const HostsOverview = z.object({
  profiles: z.array(HostProfile),
  statuses: z.array(HostStatus),
  /** Questions still waiting for an answer (a window that opens late shows them). */
  prompts: z.array(PromptRequest),
  /** Saved entries that could not be read. */
  problems: z.array(z.string()),
  secrets: z.object({ canRemember: z.boolean(), reason: z.string().nullable() }),
});
export type HostsOverview = z.infer<typeof HostsOverview>;

export const SshConfigImport = z.object({
  file: z.string(),
  candidates: z.array(HostProfileFields.extend({ alias: z.string() })),
  problems: z.array(z.string()),
});
export type SshConfigImport = z.infer<typeof SshConfigImport>;

/**
 * The one API between the renderer and the main process. Method names are `domain:action`,
 * push events `domain:onDidX`. Later features add their domains here and their names to channels.ts.
 */
export const contract = {
  methods: {
    'app:getInfo': method(none, AppInfo),
    'settings:get': method(none, Settings),
    'settings:update': method(SettingsPatch, Settings),
    'hosts:list': method(none, HostsOverview),
    'hosts:add': method(HostProfileFields, HostProfile),
    'hosts:update': method(z.object({ id: HostId, fields: HostProfileFields }), HostProfile),
    'hosts:remove': method(z.object({ id: HostId }), done),
    /** Resolves once connected or failed; the status says which (and why). */
    'hosts:connect': method(z.object({ id: HostId }), HostStatus),
    'hosts:disconnect': method(z.object({ id: HostId }), done),
    'hosts:importSshConfig': method(none, SshConfigImport),
    'hosts:answerPrompt': method(PromptAnswer, z.boolean()),
    'transfers:list': method(none, z.array(TransferJob)),
    'transfers:start': method(TransferRequest, TransferJob),
    'transfers:cancel': method(z.object({ jobId: z.string() }), done),
    'guide:get': method(none, GuideView),
    /** Runs a step's checks on each host (in parallel) and resolves with every host's results. */
    'guide:check': method(CheckRequest, z.array(HostCheckResult)),
    /** The exact commands a fix would run, to show before asking. */
    'guide:previewFix': method(FixRequest.omit({ hostId: true }), FixPreview),
    'guide:runFix': method(FixRequest, FixOutcome),
    /** Every command the app ran (on one host, or all), oldest first, secrets redacted. */
    'audit:list': method(z.object({ hostId: HostId.optional() }), z.array(AuditEntry)),
    /** Opens a shell on a connected host (or in one of its containers) with a pty of this size. */
    'terminal:open': method(TerminalOpenRequest, TerminalInfo),
    'terminal:list': method(none, z.array(TerminalInfo)),
    'terminal:write': method(TerminalWrite, done),
    'terminal:resize': method(TerminalResize, done),
    /** The view has parsed this many more characters (see TERMINAL_FLOW). */
    'terminal:ack': method(TerminalAck, done),
    'terminal:busy': method(TerminalRef, TerminalBusy),
    'terminal:close': method(TerminalRef, done),
  } satisfies Record<MethodChannel, MethodSpec>,
  events: {
    'settings:onDidChange': event(Settings),
    'hosts:onDidChangeProfiles': event(z.array(HostProfile)),
    'hosts:onDidChangeStatus': event(HostStatus),
    'hosts:onDidRequestPrompt': event(PromptRequest),
    'hosts:onDidSettlePrompt': event(z.object({ promptId: z.string() })),
    'transfers:onDidUpdate': event(TransferJob),
    'terminal:onDidData': event(TerminalData),
    /** A terminal opened, exited or dropped with its connection. */
    'terminal:onDidChange': event(TerminalInfo),
  } satisfies Record<EventChannel, EventSpec>,
} as const;

export type Contract = typeof contract;
export type Api = ApiOf<Contract>;
