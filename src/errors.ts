/** A failure the HTTP layer can show to a client: a status, a stable code and a safe message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_failed', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

// #region guide:wrong-password-error
/** The current password given with a change of password is not the user's: answered 403. */
export class WrongPasswordError extends AppError {
  constructor() {
    super(403, 'wrong_password', 'The current password is not correct');
  }
}
// #endregion

export class ConflictError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(409, 'conflict', message, undefined, options);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class MethodNotAllowedError extends AppError {
  /** @param allowed the methods the path answers, for the `Allow` header. */
  constructor(readonly allowed: readonly string[]) {
    super(405, 'method_not_allowed', `This path answers ${allowed.join(', ')}`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/**
 * The database (or another dependency) cannot serve right now: unreachable, not answering in
 * time, or busy. Answered 503 with `Retry-After: retryAfterSeconds`; the request may be retried.
 * A write that fails this way at its commit may or may not have been applied.
 */
export class ServiceUnavailableError extends AppError {
  constructor(
    message: string,
    options?: { cause?: unknown },
    readonly retryAfterSeconds = 1,
  ) {
    super(503, 'service_unavailable', message, undefined, options);
  }
}
