/**
 * Connection failures a user can act on, each with its own kind: the sidebar shows them apart,
 * and reconnecting is only sensible for some (never for auth or host-key failures).
 */
export type SshErrorKind = 'dns' | 'refused' | 'unreachable' | 'timeout' | 'auth' | 'host-key' | 'cancelled' | 'network' | 'protocol';

export class SshError extends Error {
  override readonly name = 'SshError';
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** Network faults are worth retrying; a wrong password or a changed host key never is. */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'unreachable' || this.kind === 'refused';
  }
}

interface Ssh2Failure extends Error {
  level?: string;
  code?: string;
}

/** Maps what ssh2 and the socket report onto the kinds above, with a sentence for the user. */
export function classifySshFailure(error: unknown, where: string): SshError {
  if (error instanceof SshError) return error;
  const failure = (error instanceof Error ? error : new Error(String(error))) as Ssh2Failure;
  const code = failure.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || failure.level === 'client-dns') {
    return new SshError('dns', `${where}: the host name was not found (${code || 'DNS'}).`);
  }
  if (code === 'ECONNREFUSED') return new SshError('refused', `${where}: connection refused — is sshd running and is the port right?`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN') {
    return new SshError('unreachable', `${where}: no route to the host (${code}).`);
  }
  if (code === 'ETIMEDOUT' || failure.level === 'client-timeout') {
    return new SshError('timeout', `${where}: timed out (${failure.message}).`);
  }
  if (failure.level === 'client-authentication') {
    return new SshError('auth', `${where}: authentication failed — the server accepted none of the offered methods.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || failure.level === 'client-socket') {
    return new SshError('network', `${where}: the connection dropped (${code || failure.message}).`);
  }
  return new SshError('protocol', `${where}: ${failure.message}`);
}
