import type { SerializedError } from './contractTypes';

/**
 * Codes the renderer can branch on. Electron's IPC keeps only `message` of a thrown error,
 * so errors cross both transports as `{ code, message }` and are rebuilt on the other side.
 */
export type ApiErrorCode =
  | 'invalid-input'
  | 'invalid-output'
  | 'unknown-method'
  | 'forbidden'
  | 'disconnected'
  | 'not-found'
  | 'internal';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode | (string & {}),
    message: string,
  ) {
    super(message);
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }

  static from(serialized: SerializedError): ApiError {
    return new ApiError(serialized.code, serialized.message);
  }
}
