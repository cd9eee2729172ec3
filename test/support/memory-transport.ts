import winston from 'winston';

/** One log call, as the transport received it (after the logger's formats). */
export type LogEntry = Record<string, unknown> & { level: string; message: string };

/** A winston transport that keeps every entry in memory, for asserting log lines. */
export class MemoryTransport extends winston.Transport {
  readonly entries: LogEntry[] = [];

  override log(info: LogEntry, next: () => void): void {
    this.entries.push(info);
    next();
  }

  /** The entries at `level`. */
  at(level: string): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }
}
