import type { Db } from '../db/connection.js';
import type { HandledMessageRepository, IdempotencyKey } from '../repositories/handled-message.repository.js';
import type { ReceiverContext } from '../signals/index.js';

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

/** Remembers which messages each receiver has handled, so that a redelivery is skipped. */
export class HandledMessageService {
  readonly #db: Db;
  readonly #handled: HandledMessageRepository;

  constructor(deps: { db: Db; handled: HandledMessageRepository }) {
    this.#db = deps.db;
    this.#handled = deps.handled;
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
   * For an effect outside the database (sending mail): skips it when `key` is marked, else runs
   * it and marks `key` after it succeeded. That is at least once, not exactly once: a crash
   * between the effect and the mark runs it again on redelivery, but never loses it. Without a
   * key, just runs it.
   */
  async atLeastOnce(key: IdempotencyKey | undefined, effect: () => Promise<void>): Promise<void> {
    if (key !== undefined && (await this.#handled.has(key))) return;
    await effect();
    if (key !== undefined) await this.#handled.mark(key);
  }
}
