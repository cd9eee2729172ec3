import winston from 'winston';
import { errorLogFields } from './error-fields.js';

/** The part of a winston logger the signal backends use. Inject your application's logger. */
export type SignalLogger = Pick<winston.Logger, 'error' | 'warn' | 'info'>;

let defaultLogger: winston.Logger | undefined;

/**
 * The logger a backend uses when none is injected: JSON lines on the console, errors with
 * their stacks. Created on first use, so importing the library has no side effect.
 */
export function getDefaultSignalLogger(): winston.Logger {
  defaultLogger ??= winston.createLogger({
    level: 'info',
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
  return defaultLogger;
}

/**
 * Logs one receiver failure at error level with the signal, the receiver, the message, the
 * stack and the error's other fields (`errorDetails`: its `code`, its `cause`; for a non-Error
 * value a receiver threw, that value's fields). A logger that throws is ignored: logging must never break a send.
 */
export function logReceiverFailure(
  logger: SignalLogger,
  signalName: string,
  receiverName: string,
  error: Error,
  extra?: Record<string, unknown>,
): void {
  if (isSilenced(logger)) return;
  try {
    logger.error(`Receiver ${receiverName} of signal '${signalName}' failed: ${error.message}`, {
      signal: signalName,
      receiver: receiverName,
      ...errorLogFields(error),
      ...extra,
    });
  } catch {
    // A broken transport must not turn a handled failure into a rejected send.
  }
}

/**
 * True for a winston logger with `silent` set, which drops every line. Asking it anyway is
 * not free: reading `error.stack` formats the trace (through source maps under tsx), which
 * made a failing send cost ten times the loop it wraps (bench/dispatch.bench.ts).
 */
function isSilenced(logger: SignalLogger): boolean {
  return (logger as Partial<Pick<winston.Logger, 'silent'>>).silent === true;
}
