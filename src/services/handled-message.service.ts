import type { Db } from '../db/connection.js';
import type { HandledMessageRepository, IdempotencyKey } from '../repositories/handled-message.repository.js';
import { assertDuration, type ReceiverContext } from '../signals/index.js';

export type { IdempotencyKey };

/** What a service method takes to apply its effect once per message. */
export interface OnceOption {
  /** Absent on the in-process backend: there are no redeliveries, so nothing is marked. */
  readonly once?: IdempotencyKey | undefined;
}

/**
 * The key a receiver passes down to make its effect idempotent: its own name and the broker's
 * message id. `undefined` when the message has no id (the in-process backend).
 */
export function idempotencyKey(receiver: string, { messageId }: Pick<ReceiverContext, 'messageId'>): IdempotencyKey | undefined {
  return messageId === undefined ? undefined : { receiver, messageId };
}

export interface HandledMessageServiceDeps {
  readonly db: Db;
  readonly handled: HandledMessageRepository;
  /**
   * How long a delivery's claim on an effect outside the database (mail) holds before another
   * delivery of the message may take it over: its worker is presumed dead. Default 10 s, so
   * that a redelivery after a crash gets through within a broker's default retries.
   * A RangeError naming it unless it is above 0 and at most 2^31 − 1 ms.
   */
  readonly claimTtlMs?: number;
  readonly clock?: () => number;
}

/** Remembers which messages each receiver has handled, so that a redelivery is skipped. */
export class HandledMessageService {
  readonly #db: Db;
  readonly #handled: HandledMessageRepository;
  readonly #claimTtlMs: number;
  readonly #clock: () => number;

  constructor(deps: HandledMessageServiceDeps) {
    this.#db = deps.db;
    this.#handled = deps.handled;
    this.#claimTtlMs = deps.claimTtlMs ?? 10_000;
    this.#clock = deps.clock ?? Date.now;
    assertDuration('claimTtlMs', this.#claimTtlMs);
  }

  /**
   * Runs `effect` and marks `key` handled in one transaction, so both commit or neither does:
   * when the mark exists the effect is skipped; when the effect throws, no mark is left and a
   * retry runs it. The mark is written first, so a concurrent redelivery waits on its row lock.
   *
   * @returns false when the message was handled already and `effect` did not run.
   */
  once(key: IdempotencyKey, effect: (executor: Db) => Promise<void>): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      if (!(await this.#handled.withExecutor(trx).mark(key))) return false;
      await effect(trx);
      return true;
    });
  }

  /**
   * For an effect outside the database (sending mail): skips it when `key` is done; else
   * claims `key`, runs the effect and marks `key` done. Two deliveries of one message at once
   * (a message published twice) do not both run it: the second finds the claim and throws
   * {@link MessageInProgressError}, so its broker retries it later and then skips it. That is
   * at least once, not exactly once: a crash between the effect and the mark runs it again
   * once the claim is older than `claimTtlMs`, but never loses it. A failed effect releases
   * the claim for the retry. Without a key (in-process), just runs it.
   *
   * @throws MessageInProgressError while another delivery holds the claim; what `effect` throws.
   */
  async atLeastOnce(key: IdempotencyKey | undefined, effect: () => Promise<void>): Promise<void> {
    if (key === undefined) return effect();
    const now = this.#clock();
    const claim = await this.#handled.claim(key, new Date(now), new Date(now - this.#claimTtlMs));
    if (claim === 'done') return;
    if (claim === 'busy') throw new MessageInProgressError(`Message ${key.messageId} is being handled by ${key.receiver} in another delivery`);
    try {
      await effect();
    } catch (error) {
      await this.#handled.release(key);
      throw error;
    }
    await this.#handled.complete(key);
  }
}

/** Another delivery of the same message is performing its effect right now: retry later. */
export class MessageInProgressError extends Error {
  override readonly name = 'MessageInProgressError';
}
