import winston from 'winston';
import { getRequestId } from './middleware/request-context.js';
import { errorLogFields, type ErrorLogFields } from './signals/index.js';

export type Logger = winston.Logger;

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; the console by default. Tests pass a memory transport. */
  readonly transports?: winston.transport[];
}

// Formats run synchronously in `logger.log`, i.e. in the caller's async context.
const addRequestId = winston.format((info) => {
  const requestId = getRequestId();
  if (requestId !== undefined) info.requestId = requestId;
  return info;
});

/** JSON lines with a timestamp, error stacks, and the request id of the request being served. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(
      addRequestId(),
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: options.transports ?? [new winston.transports.Console()],
  });
}

/**
 * The fields of whatever was thrown or rejected, for a log line, named as the signal core
 * names them: `errorName`, `errorMessage`, `stack` and `errorDetails` (an error's `code`,
 * `detail`, `cause`...; a plain object's fields). Winston would print a nested `Error` as `{}`
 * and a plain object as `[object Object]`.
 */
export function errorFields(error: unknown): ErrorLogFields {
  return errorLogFields(error);
}
