import { z } from 'zod';
import { HostId } from '../hosts/hostProfile';
import { LocalizedText } from '../i18n/localizedText';

/**
 * Flow control between the main process and a terminal view, as VS Code does it: the main process
 * counts characters sent but not yet acknowledged by the view; above HIGH it pauses the SSH
 * channel (so the server stops sending once the window is used up), below LOW it resumes. The
 * view acknowledges in batches of ACK_BATCH characters after xterm has parsed them.
 */
export const TERMINAL_FLOW = { high: 100_000, low: 5_000, ackBatch: 5_000 } as const;

/** Where a terminal's shell runs: the host itself, or `docker exec -it` into a container. */
export const TerminalTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('host') }),
  z.object({
    kind: z.literal('container'),
    container: z.string().min(1).max(128),
    /** The guide works as ma-user inside the container. */
    user: z.string().min(1).max(64).default('ma-user'),
  }),
]);
export type TerminalTarget = z.infer<typeof TerminalTarget>;

const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);

export const TerminalOpenRequest = z.object({
  hostId: HostId,
  target: TerminalTarget,
  cols: Cols,
  rows: Rows,
  /** Write the session to a log file in the app's data folder (text typed at password prompts left out). */
  log: z.boolean().default(false),
});
export type TerminalOpenRequest = z.input<typeof TerminalOpenRequest>;

export const TerminalId = z.string().min(1).max(64);

export const TerminalState = z.enum(['running', 'exited', 'dropped']);
export type TerminalState = z.infer<typeof TerminalState>;

export const TerminalInfo = z.object({
  id: TerminalId,
  hostId: HostId,
  target: TerminalTarget,
  /** e.g. "node1 · ma-user@qwen-vl (container)" / "node1 · ma-user@qwen-vl（容器）"; the view may shorten it. */
  title: LocalizedText,
  state: TerminalState,
  /** Why the shell ended: its exit code, or the connection error that dropped it. */
  exitCode: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** Absolute path of the session log, when logging. */
  logFile: z.string().nullable(),
});
export type TerminalInfo = z.infer<typeof TerminalInfo>;

export const TerminalWrite = z.object({ id: TerminalId, data: z.string().max(1_048_576) });
export const TerminalResize = z.object({ id: TerminalId, cols: Cols, rows: Rows });
export const TerminalAck = z.object({ id: TerminalId, chars: z.number().int().min(0) });
export const TerminalRef = z.object({ id: TerminalId });

/** Whether closing would interrupt something: the shell's foreground command, when not the shell itself. */
export const TerminalBusy = z.object({ busy: z.boolean(), command: z.string().nullable() });
export type TerminalBusy = z.infer<typeof TerminalBusy>;

/** Output, in order, as text (UTF-8 sequences split across SSH packets are joined first). */
export const TerminalData = z.object({ id: TerminalId, data: z.string() });
export type TerminalData = z.infer<typeof TerminalData>;
