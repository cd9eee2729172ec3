import { inspect, types } from 'node:util';
import { serializeError } from 'serialize-error';

/** The fields of a log line about a thrown or rejected value, whatever that value is. */
export interface ErrorLogFields {
  /** An error's `name`; for anything else its type: `Object`, `string`, `undefined`... */
  readonly errorName: string;
  /**
   * An error's `message`; a non-Error object's own `message` if it has a string one, else the
   * object as JSON (never `[object Object]`); a primitive as text.
   */
  readonly errorMessage: string;
  readonly stack?: string;
  /**
   * Everything else the value carries, serialized by serialize-error: an error's own
   * properties (`code`, `detail`, `errno`, `syscall`...), its `cause` chain and an
   * AggregateError's `errors`; a non-Error object's fields. Absent when there is nothing more.
   */
  readonly errorDetails?: Record<string, unknown>;
}

const MAX_MESSAGE_LENGTH = 2000;
const MAX_DEPTH = 6;

/**
 * The log fields of `thrown` (see {@link ErrorLogFields}). Never throws: a value whose
 * properties throw on access or that holds cycles is still described.
 */
export function errorLogFields(thrown: unknown): ErrorLogFields {
  try {
    return isError(thrown) ? errorFieldsOf(thrown) : valueFieldsOf(thrown);
  } catch {
    // A property getter or a proxy trap threw while serializing: inspect invokes neither.
    return { errorName: typeof thrown, errorMessage: inspectSafely(thrown) };
  }
}

/** One line about `thrown`, for a log message: an error's message, a non-Error value as JSON or text. */
export function describeThrown(thrown: unknown): string {
  return errorLogFields(thrown).errorMessage;
}

function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function errorFieldsOf(error: Error): ErrorLogFields {
  const { name: _name, message: _message, stack: _stack, ...details } = serializeError(error, { maxDepth: MAX_DEPTH }) as Record<string, unknown>;
  return {
    errorName: error.name,
    errorMessage: String(error.message),
    stack: error.stack,
    ...(Object.keys(details).length > 0 ? { errorDetails: details } : {}),
  };
}

function valueFieldsOf(value: unknown): ErrorLogFields {
  if (typeof value !== 'object' || value === null) {
    return { errorName: value === null ? 'null' : typeof value, errorMessage: String(value) };
  }
  const details = serializeError(value, { maxDepth: MAX_DEPTH }) as Record<string, unknown>;
  const own = (value as { message?: unknown }).message;
  const message = typeof own === 'string' ? own : Object.keys(details).length > 0 ? JSON.stringify(details) : inspectSafely(value);
  return {
    errorName: constructorName(value),
    errorMessage: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message,
    ...(Object.keys(details).length > 0 ? { errorDetails: details } : {}),
  };
}

function inspectSafely(value: unknown): string {
  try {
    return inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: MAX_MESSAGE_LENGTH });
  } catch {
    return 'an unreadable object (a revoked Proxy?)';
  }
}

function constructorName(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Object';
}
