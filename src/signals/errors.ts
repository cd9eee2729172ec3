import { types } from 'node:util';

/**
 * Wraps a value that a receiver threw or rejected with when that value is not an `Error`
 * (a string, `undefined`, a plain object). The original value is its `cause`.
 */
export class ReceiverFailedError extends Error {
  override readonly name = 'ReceiverFailedError';
  constructor(
    readonly signalName: string,
    readonly receiverName: string,
    cause: unknown,
  ) {
    super(`Receiver ${receiverName} of signal '${signalName}' threw a non-Error value: ${describe(cause)}`, {
      cause,
    });
  }
}

/** Recorded for a receiver whose returned promise had not settled within `receiverTimeoutMs`. */
export class ReceiverTimeoutError extends Error {
  override readonly name = 'ReceiverTimeoutError';
  constructor(
    readonly signalName: string,
    readonly receiverName: string,
    readonly timeoutMs: number,
  ) {
    super(`Receiver ${receiverName} of signal '${signalName}' timed out after ${timeoutMs} ms`);
  }
}

/**
 * Returns `thrown` itself when it is an `Error` (from any realm), otherwise a
 * {@link ReceiverFailedError} whose `cause` is `thrown`.
 */
export function toError(thrown: unknown, signalName: string, receiverName: string): Error {
  try {
    if (thrown instanceof Error || types.isNativeError(thrown)) return thrown;
  } catch {
    // `instanceof` runs the getPrototypeOf trap of a Proxy, which throws when it is revoked.
  }
  return new ReceiverFailedError(signalName, receiverName, thrown);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return tagOf(value);
  }
}

/** `[object Object]`, or a fixed text for a value that even this throws on (a revoked Proxy). */
function tagOf(value: unknown): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return 'an unreadable object (a revoked Proxy?)';
  }
}
