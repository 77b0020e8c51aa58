import { z } from 'zod';
import { HostId } from '../hosts/hostProfile';

export const TransferDirection = z.enum(['upload', 'download']);

export const TransferRequest = z.object({
  hostId: HostId,
  direction: TransferDirection,
  localPath: z.string().min(1, 'Choose a local file or folder.').max(4096),
  remotePath: z.string().min(1, 'Enter the path on the server.').max(4096),
});
export type TransferRequest = z.infer<typeof TransferRequest>;

export const TransferProgress = z.object({
  totalBytes: z.number(),
  doneBytes: z.number(),
  filesDone: z.number(),
  filesTotal: z.number(),
  currentFile: z.string().nullable(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});

export const TransferSummary = z.object({
  bytes: z.number(),
  sent: z.number(),
  resumedFrom: z.number(),
  sha256: z.string().nullable(),
  verified: z.boolean(),
  seconds: z.number(),
  files: z.number(),
  skipped: z.number(),
});

export const TransferJob = TransferRequest.extend({
  jobId: z.string(),
  /** interrupted: the app stopped while it ran; starting it again resumes. */
  state: z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']),
  progress: TransferProgress.nullable(),
  summary: TransferSummary.nullable(),
  error: z.string().nullable(),
  startedAt: z.number(),
});
export type TransferJob = z.infer<typeof TransferJob>;
