import type { ReceiverBinding } from './broker-receivers.js';
import type { ResolvedBrokerOptions } from './broker-options.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import { decodeEnvelope, type SignalEnvelope } from './envelope.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { decideOutcome, giveUpUnfinished, invokeObserved, invokeReceiver, toDeadLetter, type Delivery } from './receiver-invoker.js';
import { retryDelayMs, type AbortableDelays } from './timing.js';

/** One stream entry as XREADGROUP and XAUTOCLAIM return it. */
export interface StreamEntry {
  readonly id: string;
  readonly message: Readonly<Record<string, string>>;
}

/** Where one consumer reads and who it is in its group. */
export interface RedisConsumerIdentity {
  readonly binding: ReceiverBinding;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
}

/**
 * Handles one entry for one receiver: runs the receiver, retries in place with backoff,
 * dead-letters after the last attempt, and acks only then. Anything that goes wrong with
 * Redis leaves the entry pending, for XAUTOCLAIM to hand out again.
 *
 * Deliveries are counted in Redis, so that the count survives a crash, but only from the
 * second on: an entry read with `>` has never been delivered, so its first run is attempt 1
 * with no round trip before the receiver; a retry or a reclaimed entry counts its run in the
 * attempts hash first (attempt = 1 + the hash's count). A first run that succeeds is acked in
 * one XACK with the other entries done in the same tick.
 */
export class RedisDelivery {
  readonly #acks: BatchedAcks;

  constructor(
    private readonly identity: RedisConsumerIdentity,
    private readonly keys: RedisKeys,
    private readonly options: ResolvedBrokerOptions,
    private readonly delays: AbortableDelays,
  ) {
    this.#acks = new BatchedAcks(identity.stream, identity.group);
  }

  /**
   * Never rejects: failures are logged and the entry stays pending.
   *
   * @param fresh true for an entry read with `>` (never delivered before), false for one
   *   taken over with XAUTOCLAIM.
   * @param settled called with the entry's id once it is done with, whatever happened.
   */
  async handle(client: RedisClient, entry: StreamEntry, fresh: boolean, settled: (id: string) => void): Promise<void> {
    try {
      await this.#handle(client, entry, fresh);
    } catch (error) {
      this.#stayPending(entry.id, error);
    } finally {
      settled(entry.id);
    }
  }

  async #handle(client: RedisClient, entry: StreamEntry, fresh: boolean): Promise<void> {
    const envelope = this.#decode(entry);
    if (envelope === undefined) return this.#deadLetterUnreadable(client, entry);
    // A replayed dead letter is for one receiver: the others' groups let it pass unrun.
    if (envelope.receiver !== undefined && envelope.receiver !== this.identity.binding.name) return this.#acks.ack(client, entry.id);
    let counted = !fresh;
    let attempt = counted ? await this.#countRun(client, entry.id) : 1;
    for (;;) {
      const delivery: Delivery = { binding: this.identity.binding, envelope, attempt };
      const error = await this.#run(delivery);
      const outcome = decideOutcome(error, attempt, this.options.maxAttempts);
      if (outcome === 'retry') {
        if (!(await this.delays.sleep(retryDelayMs(attempt, this.#backoff)))) return;
        await this.#keepClaimed(client, entry.id);
        attempt = await this.#countRun(client, entry.id);
        counted = true;
        continue;
      }
      if (outcome === 'dead-letter' && error !== undefined) {
        await client.xAdd(this.keys.deadLetters(), '*', this.#deadLetterFields(delivery, error));
      }
      if (counted) return this.#ackAndForget(client, entry.id);
      // Not awaited: the place is free as soon as the ack is on its way, as a plain consumer's
      // next XREADGROUP goes out right behind its XACK. An ack that fails leaves the entry
      // pending, to be taken over (at least once); it is logged, and stop() waits for it.
      this.#acks.ack(client, entry.id).catch((error: unknown) => this.#stayPending(entry.id, error));
      return;
    }
  }

  /** Counts a run after the first in Redis; returns its attempt number. */
  async #countRun(client: RedisClient, id: string): Promise<number> {
    return 1 + (await client.hIncrBy(this.#attemptsKey, id, 1));
  }

  /**
   * Runs the receiver, unless the count is past `maxAttempts`: a failed last attempt is
   * dead-lettered, so deliveries beyond it never finished, and the message is not run again.
   */
  #run(delivery: Delivery): Promise<Error | undefined> {
    const { maxAttempts, onReceiverSettled, logger } = this.options;
    if (delivery.attempt > maxAttempts) return Promise.resolve(giveUpUnfinished(logger, delivery, delivery.attempt - 1));
    if (onReceiverSettled !== undefined) return invokeObserved(delivery, this.options, onReceiverSettled);
    return invokeReceiver(delivery, this.options);
  }

  /** Re-claims the entry for this consumer, resetting its idle time, so no one reclaims it mid-retry. */
  async #keepClaimed(client: RedisClient, id: string): Promise<void> {
    const { stream, group, consumer } = this.identity;
    await client.xClaimJustId(stream, group, consumer, 0, id);
  }

  /** Acks an entry whose runs were counted, and drops its count. */
  async #ackAndForget(client: RedisClient, id: string): Promise<void> {
    await client.multi().xAck(this.identity.stream, this.identity.group, id).hDel(this.#attemptsKey, id).exec();
  }

  /** Logs (throttled) that Redis failed for entry `id`, which stays pending for XAUTOCLAIM. */
  #stayPending(id: string, error: unknown): void {
    this.options.connectionWarnings.warn(
      `entries ${this.identity.stream} ${this.identity.group}`,
      `Entry ${id} stays pending after a Redis error: ${describeThrown(error)}`,
      { stream: this.identity.stream, group: this.identity.group, ...errorLogFields(error) },
    );
  }

  /** Resolves once every ack already asked for is sent and answered. */
  flushed(): Promise<void> {
    return this.#acks.flushed();
  }

  #deadLetterFields(delivery: Delivery, error: Error): Record<string, string> {
    return {
      signal: delivery.envelope.signal,
      receiver: delivery.binding.name,
      messageId: delivery.envelope.id,
      attempts: String(delivery.attempt),
      error: error.message,
      deadLetter: JSON.stringify(toDeadLetter(delivery, error)),
    };
  }

  /** An entry no receiver can read is dead-lettered at once: retrying cannot repair it. */
  async #deadLetterUnreadable(client: RedisClient, entry: StreamEntry): Promise<void> {
    const fields = {
      signal: this.identity.binding.signal.name,
      receiver: this.identity.binding.name,
      messageId: entry.id,
      attempts: '0',
      error: 'The stream entry is not a signal envelope',
      raw: JSON.stringify(entry.message),
    };
    await client.xAdd(this.keys.deadLetters(), '*', fields);
    await this.#acks.ack(client, entry.id);
  }

  #decode(entry: StreamEntry): SignalEnvelope | undefined {
    try {
      return decodeEnvelope(entry.message.envelope ?? '');
    } catch {
      return undefined;
    }
  }

  get #attemptsKey(): string {
    return this.keys.attempts(this.identity.binding.signal.name, this.identity.binding.name);
  }

  get #backoff(): { baseDelayMs: number; maxDelayMs: number } {
    return { baseDelayMs: this.options.retryBaseDelayMs, maxDelayMs: this.options.retryMaxDelayMs };
  }
}

/**
 * The XACKs of one consumer group, gathered while the current tick runs and sent as one
 * command: entries that finish together cost one round trip, not one each.
 */
export class BatchedAcks {
  #ids: string[] = [];
  #flushing: Promise<void> | undefined;

  constructor(
    private readonly stream: string,
    private readonly group: string,
  ) {}

  /** Resolves once Redis acknowledged `id` (with the others of its batch); rejects with Redis's error. */
  ack(client: RedisClient, id: string): Promise<void> {
    this.#ids.push(id);
    this.#flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#flush(client));
    return this.#flushing;
  }

  /** Resolves once the batch being gathered, if any, is sent and answered; never rejects. */
  flushed(): Promise<void> {
    return (this.#flushing ?? Promise.resolve()).catch(() => undefined);
  }

  async #flush(client: RedisClient): Promise<void> {
    const ids = this.#ids;
    this.#ids = [];
    this.#flushing = undefined;
    await client.xAck(this.stream, this.group, ids);
  }
}
