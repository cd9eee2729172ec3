import winston from 'winston';
import { getRequestId } from './middleware/request-context.js';

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
 * The fields of `error` for a log line, named as the signal core names them. Winston would
 * print a nested `Error` as `{}`.
 */
export function errorFields(error: unknown): { errorName: string; errorMessage: string; stack?: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message, stack: error.stack };
  return { errorName: typeof error, errorMessage: String(error) };
}
