import type { ReceiverSettledEvent, SentEvent } from '../types.js';

/** Seconds the rates are averaged over. */
export const RATE_WINDOW_SECONDS = 60;
/** Runs per receiver kept for the percentiles. */
const DURATION_SAMPLES = 512;
/** Distinct errors kept, the least recently seen dropped first. */
const FAILURE_GROUPS = 50;

/** Counts per second over the last {@link RATE_WINDOW_SECONDS} seconds, in a ring of one-second buckets. */
class RateWindow {
  readonly #counts = new Float64Array(RATE_WINDOW_SECONDS);
  readonly #seconds = new Float64Array(RATE_WINDOW_SECONDS);

  add(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % RATE_WINDOW_SECONDS;
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]! += 1;
  }

  /** Events per second over the window that ends now. */
  perSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    let total = 0;
    for (let slot = 0; slot < RATE_WINDOW_SECONDS; slot++) {
      if (second - this.#seconds[slot]! < RATE_WINDOW_SECONDS) total += this.#counts[slot]!;
    }
    return total / RATE_WINDOW_SECONDS;
  }
}

class ReceiverStats {
  readonly runs = new RateWindow();
  readonly failures = new RateWindow();
  readonly #durations = new Float64Array(DURATION_SAMPLES);
  #recorded = 0;
  total = 0;
  failed = 0;

  record(durationMs: number, failed: boolean, nowMs: number): void {
    this.runs.add(nowMs);
    this.total++;
    if (failed) {
      this.failures.add(nowMs);
      this.failed++;
    }
    this.#durations[this.#recorded % DURATION_SAMPLES] = durationMs;
    this.#recorded++;
  }

  /** The `q` quantile (0..1) of the last runs' durations, nearest rank; `undefined` before any run. */
  quantile(q: number): number | undefined {
    const count = Math.min(this.#recorded, DURATION_SAMPLES);
    if (count === 0) return undefined;
    const sorted = this.#durations.slice(0, count).sort();
    return sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))];
  }
}

/** One receiver's figures in a {@link SignalStatsSnapshot}. */
export interface ReceiverStatsSnapshot {
  readonly signal: string;
  readonly receiver: string;
  /** Runs per second, and failed runs per second, over the last {@link RATE_WINDOW_SECONDS} s. */
  readonly runsPerSecond: number;
  readonly failuresPerSecond: number;
  /** Median and 95th percentile of the last 512 runs' durations, in ms. */
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
  /** Since the process started. */
  readonly runs: number;
  readonly failures: number;
}

/** Failures of one receiver with one error message. */
export interface FailureGroup {
  readonly signal: string;
  readonly receiver: string;
  readonly error: string;
  readonly count: number;
  /** ISO 8601. */
  readonly lastAt: string;
  /** The message id of the last one, on broker backends. */
  readonly lastMessageId: string | undefined;
  /** What happened to the last one: `failure` in-process, `retry` or `dead-lettered` on a broker. */
  readonly lastOutcome: string;
}

/** What {@link SignalStats.snapshot} returns. */
export interface SignalStatsSnapshot {
  readonly windowSeconds: number;
  /** Per signal name: messages sent per second over the window, and sends refused since start. */
  readonly sent: Readonly<Record<string, { readonly perSecond: number; readonly total: number; readonly refused: number }>>;
  readonly receivers: readonly ReceiverStatsSnapshot[];
  /** The most recently seen first. */
  readonly failures: readonly FailureGroup[];
}

/**
 * Live figures for the signals dashboard, from a backend's observers: sends per signal, and per
 * receiver its rate, failures and duration percentiles, plus recent failures grouped by error.
 * It sees what this process does: on a broker backend, a web process sees its sends and a
 * worker its receivers' runs. Memory is bounded (a minute of one-second buckets and 512
 * durations per receiver, 50 error groups).
 *
 * @example
 * const stats = new SignalStats();
 * const backend = new InProcessBackend({ onSent: stats.onSent, onReceiverSettled: stats.onReceiverSettled });
 */
export class SignalStats {
  readonly #sent = new Map<string, { window: RateWindow; total: number; refused: number }>();
  readonly #receivers = new Map<string, { signal: string; receiver: string; stats: ReceiverStats }>();
  readonly #failures = new Map<string, FailureGroup>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The `onSent` observer. */
  readonly onSent = (event: SentEvent): void => {
    let sent = this.#sent.get(event.signalName);
    if (sent === undefined) {
      sent = { window: new RateWindow(), total: 0, refused: 0 };
      this.#sent.set(event.signalName, sent);
    }
    if (event.error !== undefined) {
      sent.refused++;
      return;
    }
    sent.total++;
    sent.window.add(this.now());
  };

  /** The `onReceiverSettled` observer. */
  readonly onReceiverSettled = (event: ReceiverSettledEvent): void => {
    const nowMs = this.now();
    const key = `${event.signal.name}\u0000${event.receiverName}`;
    let entry = this.#receivers.get(key);
    if (entry === undefined) {
      entry = { signal: event.signal.name, receiver: event.receiverName, stats: new ReceiverStats() };
      this.#receivers.set(key, entry);
    }
    entry.stats.record(event.durationMs, event.error !== undefined, nowMs);
    if (event.error !== undefined) this.#recordFailure(event, event.error, nowMs);
  };

  #recordFailure(event: ReceiverSettledEvent, error: Error, nowMs: number): void {
    const message = `${error.name}: ${error.message}`;
    const key = `${event.signal.name}\u0000${event.receiverName}\u0000${message}`;
    const count = (this.#failures.get(key)?.count ?? 0) + 1;
    // Deleted and set again: the map's order is the order they were last seen.
    this.#failures.delete(key);
    this.#failures.set(key, {
      signal: event.signal.name,
      receiver: event.receiverName,
      error: message,
      count,
      lastAt: new Date(nowMs).toISOString(),
      lastMessageId: event.messageId,
      lastOutcome: event.outcome,
    });
    if (this.#failures.size > FAILURE_GROUPS) this.#failures.delete(this.#failures.keys().next().value as string);
  }

  snapshot(): SignalStatsSnapshot {
    const nowMs = this.now();
    const sent: Record<string, { perSecond: number; total: number; refused: number }> = {};
    for (const [signal, { window, total, refused }] of this.#sent) sent[signal] = { perSecond: window.perSecond(nowMs), total, refused };
    const receivers = [...this.#receivers.values()].map(({ signal, receiver, stats }) => ({
      signal,
      receiver,
      runsPerSecond: stats.runs.perSecond(nowMs),
      failuresPerSecond: stats.failures.perSecond(nowMs),
      p50Ms: stats.quantile(0.5),
      p95Ms: stats.quantile(0.95),
      runs: stats.total,
      failures: stats.failed,
    }));
    return { windowSeconds: RATE_WINDOW_SECONDS, sent, receivers, failures: [...this.#failures.values()].reverse() };
  }
}
