import winston from 'winston';
import { MemoryTransport, type LogEntry } from './memory-transport.js';

export type { LogEntry };

/**
 * A logger with the production format whose lines are kept in memory: `entries` holds every
 * line, for asserting what was logged.
 */
export function createMemoryLogger(): { logger: winston.Logger; entries: LogEntry[] } {
  const transport = new MemoryTransport();
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.json()),
    transports: [transport],
  });
  return { logger, entries: transport.entries };
}
