import { runDetached } from '../detached.js';
import { assertDuration } from '../duration.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import type { SignalLogger } from '../logger.js';
import type { OutboxMessage, OutboxStore } from './outbox-store.js';

export interface OutboxRelayOptions {
  readonly store: OutboxStore;
  /** Hands a batch to the broker; resolves once it accepted every message of it. */
  readonly publish: (messages: OutboxMessage[]) => Promise<void>;
  readonly logger: SignalLogger;
  /** Messages taken per round trip. Default 500. */
  readonly batchSize?: number;
  /** How often the outbox is read when nothing wakes the relay: rows left by a crash or an outage. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** After a failed batch the relay waits this long, doubling per failure... Default 100 ms. */
  readonly retryBaseDelayMs?: number;
  /** ...up to this. Default 5000 ms. */
  readonly retryMaxDelayMs?: number;
  /** A warning is logged when the oldest message has waited longer than this (at most once a lag interval). Default 30 000 ms. */
  readonly lagWarningMs?: number;
}

const LAG_CHECK_INTERVAL_MS = 5000;

/**
 * Publishes what the outbox holds: at once when {@link notify}d of a commit, in batches, and
 * every `pollIntervalMs` anyway (rows left by a crash, a restart or a broker outage). A batch
 * the broker refuses stays in the outbox and is tried again with backoff, until it is accepted:
 * at least once, and a message published twice keeps its id, so receivers de-duplicate it.
 */
export class OutboxRelay {
  readonly #store: OutboxStore;
  readonly #publish: OutboxRelayOptions['publish'];
  readonly #logger: SignalLogger;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #retryBaseDelayMs: number;
  readonly #retryMaxDelayMs: number;
  readonly #lagWarningMs: number;
  #loop: Promise<void> | undefined;
  #running = false;
  #stopped = false;
  #woken = false;
  #wake: (() => void) | undefined;
  #lastLagWarning = 0;
  #lastLagCheck = 0;

  /** @throws RangeError naming the option: a `batchSize` that is not a positive integer, a duration not above 0 and at most 2^31 − 1 ms. */
  constructor(options: OutboxRelayOptions) {
    this.#store = options.store;
    this.#publish = options.publish;
    this.#logger = options.logger;
    this.#batchSize = options.batchSize ?? 500;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.#retryMaxDelayMs = options.retryMaxDelayMs ?? 5000;
    this.#lagWarningMs = options.lagWarningMs ?? 30_000;
    if (!(Number.isSafeInteger(this.#batchSize) && this.#batchSize > 0)) {
      throw new RangeError(`batchSize must be a positive integer, got ${String(this.#batchSize)}`);
    }
    for (const [name, value] of [
      ['pollIntervalMs', this.#pollIntervalMs],
      ['retryBaseDelayMs', this.#retryBaseDelayMs],
      ['retryMaxDelayMs', this.#retryMaxDelayMs],
      ['lagWarningMs', this.#lagWarningMs],
    ] as const) {
      assertDuration(name, value);
    }
  }

  /** Starts relaying (once); the first round reads whatever the outbox already holds. */
  start(): void {
    if (this.#loop !== undefined || this.#stopped) return;
    this.#running = true;
    // The first commit of a request may start the relay; it runs on for the life of the process.
    this.#loop = runDetached(() => this.#run());
  }

  /** A transaction with outbox rows committed: relay now rather than at the next poll. Starts the relay if needed. */
  notify(): void {
    this.#woken = true;
    this.#wake?.();
    this.start();
  }

  /** How long the oldest message has waited, in ms; `undefined` when the outbox is empty. */
  lagMs(): Promise<number | undefined> {
    return this.#store.oldestAgeMs();
  }

  /** How many messages wait in the outbox. */
  pendingCount(): Promise<number> {
    return this.#store.pendingCount();
  }

  /** Stops for good after the batch in hand; what is left stays in the outbox for the next process. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      this.#woken = false;
      try {
        const published = await this.#drain();
        // Another relay may hold every row (SKIP LOCKED): reading nothing is no news of recovery.
        if (failures > 0 && published > 0) this.#logger.info(`The outbox relay publishes again after ${failures} failed attempts`);
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1) this.#logger.warn(`The outbox relay could not publish; retrying with backoff: ${describeThrown(error)}`, errorLogFields(error));
      }
      await this.#warnOnLag();
      if (!this.#running) break;
      if (failures > 0) await this.#sleep(Math.min(this.#retryBaseDelayMs * 2 ** (failures - 1), this.#retryMaxDelayMs), false);
      else if (!this.#woken) await this.#sleep(this.#pollIntervalMs, true);
    }
  }

  /** Publishes full batches until one comes back short; returns how many messages went out. */
  async #drain(): Promise<number> {
    let total = 0;
    for (let count = this.#batchSize; this.#running && count === this.#batchSize; total += count) {
      count = await this.#store.relay(this.#batchSize, this.#publish);
    }
    return total;
  }

  /** At most every few seconds, and a warning at most once per `lagWarningMs`. */
  async #warnOnLag(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastLagWarning < this.#lagWarningMs || now - this.#lastLagCheck < LAG_CHECK_INTERVAL_MS) return;
    this.#lastLagCheck = now;
    const lagMs = await this.#store.oldestAgeMs().catch(() => undefined);
    if (lagMs === undefined || lagMs < this.#lagWarningMs) return;
    this.#lastLagWarning = now;
    this.#logger.warn(`The outbox's oldest message has waited ${Math.round(lagMs / 1000)} s to be published`, { outboxLagMs: lagMs });
  }

  /** Waits `ms`; a notify (when `wakeable`) or stop ends the wait early. */
  #sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        if (wakeable || !this.#running) done();
      };
    }).finally(() => (this.#wake = undefined));
  }
}
