// winston types its base class as `transport` but exports `Transport`; import the package itself.
import TransportStream from 'winston-transport';

/** One log call, as the transport received it (after the logger's formats). */
export type LogEntry = Record<string, unknown> & { level: string; message: string };

/** A winston transport that keeps every entry in memory, for asserting log lines. */
export class MemoryTransport extends TransportStream {
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
