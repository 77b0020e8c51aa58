import { z } from 'zod';
import type { CallResult } from './contractTypes';

/** Messages of the browser-mode WebSocket transport (Electron IPC carries the same calls natively). */
export const ClientMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(200),
  input: z.unknown().optional(),
});
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'event'; event: string; payload: unknown };

export const WEB_API_PATH = '/api';
