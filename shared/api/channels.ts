/**
 * The contract's names alone, for the preload: it forwards calls by name and must not carry the
 * validators (those run in the main process). contract.ts is checked against these lists.
 */
export const METHOD_CHANNELS = [
  'app:getInfo',
  'settings:get',
  'settings:update',
  'hosts:list',
  'hosts:add',
  'hosts:update',
  'hosts:remove',
  'hosts:connect',
  'hosts:disconnect',
  'hosts:importSshConfig',
  'hosts:answerPrompt',
  'transfers:list',
  'transfers:start',
  'transfers:cancel',
  'guide:get',
  'guide:check',
  'guide:previewFix',
  'guide:runFix',
  'audit:list',
  'terminal:open',
  'terminal:list',
  'terminal:write',
  'terminal:resize',
  'terminal:ack',
  'terminal:busy',
  'terminal:close',
] as const;
export const EVENT_CHANNELS = ['settings:onDidChange', 'hosts:onDidChangeProfiles', 'hosts:onDidChangeStatus', 'hosts:onDidRequestPrompt', 'hosts:onDidSettlePrompt', 'transfers:onDidUpdate', 'terminal:onDidData', 'terminal:onDidChange'] as const;

export type MethodChannel = (typeof METHOD_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

export const CHANNELS = { methods: METHOD_CHANNELS, events: EVENT_CHANNELS } as const;
