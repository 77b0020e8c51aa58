import { z } from 'zod';

/** A host name or address: never empty, no spaces or shell/option tricks, no leading '-'. */
const HostName = z
  .string()
  .min(1, 'Enter a host name or address.')
  .max(253)
  .regex(/^(?!-)(\[[0-9A-Fa-f:.%a-zA-Z0-9]+\]|[A-Za-z0-9._:%-]+)$/, 'A host is a name or address: letters, digits, dots, dashes; IPv6 in [brackets].');

export const UserName = z
  .string()
  .min(1, 'Enter the login user.')
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*\$?$/, 'A user name has letters, digits, dots, dashes and underscores, and does not start with a dash.');

export const AuthMode = z.enum(['auto', 'agent', 'key', 'password', 'keyboard-interactive']);
export type AuthMode = z.infer<typeof AuthMode>;

export const HostId = z.string().regex(/^[a-z0-9-]{8,64}$/);
export type HostId = z.infer<typeof HostId>;

export const HostProfileFields = z.object({
  name: z.string().trim().min(1, 'Give the host a name.').max(64),
  host: HostName,
  port: z.number().int().min(1).max(65535),
  user: UserName,
  auth: AuthMode,
  /** A path only: key contents are never copied into the app. */
  identityFile: z.string().max(4096).nullable(),
  /** Jump hosts in order: another profile's name, or `[user@]host[:port]`. */
  jump: z.array(z.string().min(1).max(300)).max(4),
});
export type HostProfileFields = z.infer<typeof HostProfileFields>;

export const HostProfile = HostProfileFields.extend({ id: HostId });
export type HostProfile = z.infer<typeof HostProfile>;

export const ConnectionState = z.enum(['disconnected', 'connecting', 'connected', 'reconnecting', 'failed']);

export const HostStatus = z.object({
  id: HostId,
  state: ConnectionState,
  /** Why it failed, or the last error before a reconnect. */
  error: z.object({ kind: z.string(), message: z.string() }).nullable(),
  /** Epoch ms of the next reconnect attempt, while reconnecting. */
  retryAt: z.number().nullable(),
  attempt: z.number().int(),
  algorithms: z.object({ kex: z.string(), serverHostKey: z.string(), cipher: z.string(), mac: z.string(), compression: z.string() }).nullable(),
  rttMs: z.number().nullable(),
  connectedAt: z.number().nullable(),
});
export type HostStatus = z.infer<typeof HostStatus>;
