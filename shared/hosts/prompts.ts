import { z } from 'zod';
import { HostId } from './hostProfile';

/** Questions the main process asks the user while connecting; answers come back by promptId. */
export const PromptRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('host-key'),
    promptId: z.string(),
    hostId: HostId,
    host: z.string(),
    port: z.number(),
    keyType: z.string(),
    fingerprint: z.string(),
    /** Key types already trusted for this host (OpenSSH warns about these). */
    otherKeyTypes: z.array(z.string()),
  }),
  z.object({ kind: z.literal('password'), promptId: z.string(), hostId: HostId, host: z.string(), user: z.string(), canRemember: z.boolean(), rememberUnavailableReason: z.string().nullable() }),
  z.object({ kind: z.literal('passphrase'), promptId: z.string(), hostId: HostId, keyPath: z.string(), retry: z.boolean(), canRemember: z.boolean(), rememberUnavailableReason: z.string().nullable() }),
  z.object({
    kind: z.literal('keyboard-interactive'),
    promptId: z.string(),
    hostId: HostId,
    host: z.string(),
    name: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
  }),
]);
export type PromptRequest = z.infer<typeof PromptRequest>;

export const PromptAnswer = z.object({
  promptId: z.string(),
  /** null: the user cancelled. */
  answer: z.union([z.object({ accept: z.boolean() }), z.object({ secret: z.string().max(4096), remember: z.boolean() }), z.object({ responses: z.array(z.string().max(4096)).max(16) })]).nullable(),
});
export type PromptAnswer = z.infer<typeof PromptAnswer>;
