import { HostProfileFields } from '../../../../shared/hosts/hostProfile';
import type { AuthMode } from '../../../../shared/hosts/hostProfile';
import { parseTarget } from '../../../../shared/ssh/target';
import { fieldIssues } from './formIssues';
import type { FieldIssue, FieldIssues } from './formIssues';

/** What the inputs hold: text as typed, so a half-typed port is kept rather than lost. */
export interface HostFormValues {
  name: string;
  host: string;
  port: string;
  user: string;
  auth: AuthMode;
  identityFile: string;
  jump: string[];
}

export const HOST_FORM_FIELDS = ['name', 'host', 'port', 'user', 'auth', 'identityFile', 'jump'] as const;
export type HostFormField = (typeof HOST_FORM_FIELDS)[number];

/** HostProfileFields allows four; the schema still refuses a fifth if this drifts. */
export const MAX_JUMPS = 4;

export const AUTH_MODES: readonly AuthMode[] = ['auto', 'agent', 'key', 'password', 'keyboard-interactive'];

/** DevServers are reached as root on the standard port. */
export const NEW_HOST: HostFormValues = { name: '', host: '', port: '22', user: 'root', auth: 'auto', identityFile: '', jump: [] };

export function formValuesOf(fields: HostProfileFields): HostFormValues {
  return { ...fields, port: String(fields.port), identityFile: fields.identityFile ?? '', jump: [...fields.jump] };
}

export type HostFormResult = { ok: true; fields: HostProfileFields } | { ok: false; issues: FieldIssues };

/**
 * Checks the form with the schema the main process uses, plus one thing it cannot know from a
 * string alone: that each jump entry is a saved host's name or a well-formed `[user@]host[:port]`.
 */
export function validateHostForm(values: HostFormValues, savedNames: readonly string[]): HostFormResult {
  const input = {
    name: values.name,
    host: values.host.trim(),
    port: /^\s*\d+\s*$/.test(values.port) ? Number(values.port) : Number.NaN,
    user: values.user.trim(),
    auth: values.auth,
    identityFile: values.identityFile.trim() || null,
    jump: values.jump.map((entry) => entry.trim()),
  };
  const parsed = HostProfileFields.safeParse(input);
  const issues: Record<string, FieldIssue> = parsed.success ? {} : { ...fieldIssues(parsed.error.issues) };
  input.jump.forEach((entry, index) => {
    if (entry && !savedNames.includes(entry) && !parseTarget(entry).ok) issues[`jump.${index}`] ??= { key: 'jumpFormat' };
  });
  if (parsed.success && Object.keys(issues).length === 0) return { ok: true, fields: parsed.data };
  return { ok: false, issues };
}
