import { SshError } from '../ssh/sshErrors';
import type { SshErrorKind } from '../ssh/sshErrors';
import type { HostKey, KeyboardInteractiveChallenge, SshHop } from '../ssh/sshSession';
import { TransferError } from './remoteFiles';

/** What a connection worker starts with: the serialisable part of the session's options. */
export interface ConnectionWorkerData {
  hops: SshHop[];
  readyTimeoutMs?: number | undefined;
  keepaliveIntervalMs?: number | undefined;
  keepaliveCountMax?: number | undefined;
  channels: number;
}

/** The questions only the main thread can answer: its host-key policy and its prompter. */
export type ConnectionQuestion =
  | { kind: 'host-key'; hop: SshHop; key: HostKey }
  | { kind: 'password'; hop: SshHop }
  | { kind: 'passphrase'; hop: SshHop; keyPath: string; retry: boolean }
  | { kind: 'keyboard-interactive'; hop: SshHop; challenge: KeyboardInteractiveChallenge };

/** An SshError or TransferError as it crosses threads (structured cloning keeps neither class). */
export interface WireError {
  message: string;
  sshKind?: SshErrorKind;
  transferKind?: TransferError['kind'];
  /** A Node error code, such as sftpOps' ECONNRESET for a request whose channel closed. */
  code?: string;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof SshError) return { message: error.message, sshKind: error.kind };
  if (error instanceof TransferError) return { message: error.message, transferKind: error.kind };
  const code = (error as { code?: unknown } | undefined)?.code;
  return { message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.sshKind) return new SshError(wire.sshKind, wire.message);
  if (wire.transferKind) return new TransferError(wire.transferKind, wire.message);
  return Object.assign(new Error(wire.message), wire.code ? { code: wire.code } : {});
}

export type ToConnectionWorker =
  /** `true` or a refusal for a host key; the typed answer or `undefined` (cancelled) for a prompt. */
  | { type: 'answer'; id: number; value: true | WireError | string | string[] | undefined }
  | { type: 'open-upload'; local: string; remote: string }
  | { type: 'copy'; id: number; offset: number; length: number }
  | { type: 'close-file' }
  | { type: 'close' };

export type FromConnectionWorker =
  | { type: 'ask'; id: number; question: ConnectionQuestion }
  | { type: 'ready' }
  | { type: 'connect-failed'; error: WireError }
  | { type: 'opened' }
  | { type: 'open-failed'; error: WireError }
  | { type: 'copied'; id: number }
  | { type: 'copy-failed'; id: number; error: WireError }
  | { type: 'file-closed' }
  /** The connection ended: dropped by the link or the server, or closed on request. */
  | { type: 'closed'; error?: WireError };
