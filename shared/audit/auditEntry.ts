import { z } from 'zod';

export const AuditEntry = z.object({
  hostId: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  command: z.string(),
  code: z.number().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  cancelled: z.boolean(),
  /** The first part of each stream, secrets redacted. */
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const SECRET_ASSIGNMENT = /\b(password|passwd|passphrase|token|secret|api[_-]?key|access[_-]?key)(["']?\s*[=:]\s*["']?)[^\s"',;]+/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Hides values that look like secrets (`password=…`, `token: …`, `Bearer …`) in recorded output. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, '$1$2••••••').replace(BEARER, '$1 ••••••');
}
