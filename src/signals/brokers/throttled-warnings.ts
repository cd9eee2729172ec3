import type { SignalLogger } from '../logger.js';

/**
 * Connection trouble, logged at most once per `intervalMs` per source (a connection, a
 * consumer): while a broker is unreachable, every reconnect attempt of every consumer fails,
 * and a warning for each would be hundreds a minute. The first one of a source is logged at
 * once; the next after the interval says how many were left out. When the source works again,
 * {@link recovered} logs one info line.
 */
export class ThrottledWarnings {
  readonly #bySource = new Map<string, { loggedAt: number; leftOut: number }>();

  constructor(
    private readonly logger: SignalLogger,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Logs `message` at warn with `fields`, unless `source` warned less than `intervalMs` ago. */
  warn(source: string, message: string, fields: Record<string, unknown>): void {
    const now = this.clock();
    const state = this.#bySource.get(source);
    if (state !== undefined && now - state.loggedAt < this.intervalMs) {
      state.leftOut++;
      return;
    }
    const leftOut = state?.leftOut ?? 0;
    this.#bySource.set(source, { loggedAt: now, leftOut: 0 });
    const note = leftOut > 0 ? ` (and ${leftOut} more like it in the last ${Math.round((now - (state?.loggedAt ?? now)) / 1000)} s)` : '';
    this.#log('warn', `${message}${note}`, { ...fields, warningsLeftOut: leftOut });
  }

  /** `source` works again: logs `message` at info if it had warned, and starts afresh. */
  recovered(source: string, message: string, fields: Record<string, unknown> = {}): void {
    if (!this.#bySource.delete(source)) return;
    this.#log('info', message, fields);
  }

  #log(level: 'warn' | 'info', message: string, fields: Record<string, unknown>): void {
    try {
      this.logger[level](message, fields);
    } catch {
      // A broken log transport must not break a reconnect loop.
    }
  }
}
