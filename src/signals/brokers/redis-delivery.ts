import type { ReceiverBinding } from './broker-receivers.js';
import type { ResolvedBrokerOptions } from './broker-options.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import { decodeEnvelope, type SignalEnvelope } from './envelope.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import { decideOutcome, giveUpUnfinished, invokeReceiver, toDeadLetter, type Delivery } from './receiver-invoker.js';
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
 * Handles one entry for one receiver: counts the delivery in Redis, runs the receiver,
 * retries in place with backoff, dead-letters after the last attempt, and acks only then.
 * Anything that goes wrong with Redis leaves the entry pending, for XAUTOCLAIM to hand out again.
 */
export class RedisDelivery {
  constructor(
    private readonly identity: RedisConsumerIdentity,
    private readonly keys: RedisKeys,
    private readonly options: ResolvedBrokerOptions,
    private readonly delays: AbortableDelays,
  ) {}

  /** Never rejects: failures are logged and the entry stays pending. */
  async handle(client: RedisClient, entry: StreamEntry): Promise<void> {
    try {
      await this.#handle(client, entry);
    } catch (error) {
      this.options.logger.warn(`Entry ${entry.id} stays pending after a Redis error: ${describeThrown(error)}`, {
        stream: this.identity.stream,
        group: this.identity.group,
        ...errorLogFields(error),
      });
    }
  }

  async #handle(client: RedisClient, entry: StreamEntry): Promise<void> {
    const envelope = this.#decode(entry);
    if (envelope === undefined) return this.#deadLetterUnreadable(client, entry);
    for (;;) {
      const attempt = await client.hIncrBy(this.#attemptsKey, entry.id, 1);
      const delivery: Delivery = { binding: this.identity.binding, envelope, attempt };
      const error = await this.#run(delivery);
      const outcome = decideOutcome(error, attempt, this.options.maxAttempts);
      if (outcome === 'retry') {
        if (!(await this.delays.sleep(retryDelayMs(attempt, this.#backoff)))) return;
        await this.#keepClaimed(client, entry.id);
        continue;
      }
      if (outcome === 'dead-letter' && error !== undefined) {
        await client.xAdd(this.keys.deadLetters(), '*', this.#deadLetterFields(delivery, error));
      }
      return this.#ack(client, entry.id);
    }
  }

  /**
   * Runs the receiver, unless the count is past `maxAttempts`: a failed last attempt is
   * dead-lettered, so deliveries beyond it never finished, and the message is not run again.
   */
  async #run(delivery: Delivery): Promise<Error | undefined> {
    if (delivery.attempt <= this.options.maxAttempts) {
      return invokeReceiver(delivery, this.options.runInContext, this.options.logger);
    }
    return giveUpUnfinished(this.options.logger, delivery, delivery.attempt - 1);
  }

  /** Re-claims the entry for this consumer, resetting its idle time, so no one reclaims it mid-retry. */
  async #keepClaimed(client: RedisClient, id: string): Promise<void> {
    const { stream, group, consumer } = this.identity;
    await client.xClaimJustId(stream, group, consumer, 0, id);
  }

  async #ack(client: RedisClient, id: string): Promise<void> {
    await client.multi().xAck(this.identity.stream, this.identity.group, id).hDel(this.#attemptsKey, id).exec();
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
    await this.#ack(client, entry.id);
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
