import winston from 'winston';
import { getRequestId } from './middleware/request-context.js';
import { errorLogFields, type ErrorLogFields } from './signals/index.js';

export type Logger = winston.Logger;

export interface LoggerOptions {
  readonly level?: string;
  /** `json` (the default): one JSON object per line. `pretty`: colored, readable lines, for development. */
  readonly format?: 'json' | 'pretty';
  /** Where lines go; the console by default. Tests pass a memory transport. */
  readonly transports?: winston.transport[];
}

// Formats run synchronously in `logger.log`, i.e. in the caller's async context.
const addRequestId = winston.format((info) => {
  const requestId = getRequestId();
  if (requestId !== undefined) info.requestId = requestId;
  return info;
});

/**
 * Log lines with a timestamp, error stacks, and the request id of the request being served:
 * JSON lines, or colored readable ones with `format: 'pretty'`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(
      addRequestId(),
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      ...(options.format === 'pretty' ? [winston.format.colorize(), prettyLine] : [winston.format.json()]),
    ),
    transports: options.transports ?? [new winston.transports.Console()],
  });
}

// `12:04:05.123 info  [req-1] Mail sent to ada@example.com {"signal":"user.created"}`, then the stack on its own lines.
const prettyLine = winston.format.printf((info) => {
  const { timestamp, level, message, requestId, stack, ...fields } = info as Record<string, unknown> & { level: string };
  const time = typeof timestamp === 'string' ? timestamp.slice(11, 23) : '';
  const id = typeof requestId === 'string' ? ` [${requestId}]` : '';
  const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  const trace = typeof stack === 'string' ? `\n${stack}` : '';
  return `${time} ${level}${id} ${String(message)}${rest}${trace}`;
});

/**
 * The fields of whatever was thrown or rejected, for a log line, named as the signal core
 * names them: `errorName`, `errorMessage`, `stack` and `errorDetails` (an error's `code`,
 * `detail`, `cause`...; a plain object's fields). Winston would print a nested `Error` as `{}`
 * and a plain object as `[object Object]`.
 */
export function errorFields(error: unknown): ErrorLogFields {
  return errorLogFields(error);
}
