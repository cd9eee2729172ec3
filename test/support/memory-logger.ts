import { Writable } from 'node:stream';
import winston from 'winston';

/** One log line as winston hands it to a transport. */
export type LogEntry = winston.Logform.TransformableInfo;

/**
 * A logger with the production format whose lines are kept in memory: `entries` holds every
 * line, for asserting what was logged.
 */
export function createMemoryLogger(): { logger: winston.Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: LogEntry, _encoding, done) {
      entries.push(info);
      done();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, entries };
}
