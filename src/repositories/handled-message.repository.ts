import type { Db } from '../db/connection.js';
import { now } from './crud.repository.js';

/** Names one delivery of a message to one receiver; the same on every redelivery. */
export interface IdempotencyKey {
  readonly receiver: string;
  readonly messageId: string;
}

export class HandledMessageRepository {
  constructor(private readonly db: Db) {}

  withExecutor(executor: Db): HandledMessageRepository {
    return new HandledMessageRepository(executor);
  }

  /**
   * Marks the message handled by the receiver.
   *
   * @returns false when it was marked already: the caller must skip the side effect.
   */
  async mark({ receiver, messageId }: IdempotencyKey): Promise<boolean> {
    const result = await this.db
      .insertInto('handledMessages')
      .values({ receiver, messageId, handledAt: now() })
      .onConflict((conflict) => conflict.columns(['receiver', 'messageId']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Claims `key` for an effect outside the database: marks it `sending` unless a row exists.
   * A `sending` claim made before `staleBefore` (its delivery died) is taken over.
   *
   * @returns `claimed` (go ahead), `done` (skip: it was handled) or `busy` (another delivery is at it).
   */
  async claim(key: IdempotencyKey, now: Date, staleBefore: Date): Promise<'claimed' | 'done' | 'busy'> {
    const inserted = await this.db
      .insertInto('handledMessages')
      .values({ ...key, handledAt: now.toISOString(), state: 'sending' })
      .onConflict((conflict) => conflict.columns(['receiver', 'messageId']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return 'claimed';
    const row = await this.#byKey(key).select(['state', 'handledAt']).executeTakeFirst();
    if (row === undefined) return 'busy';
    if (row.state === 'done') return 'done';
    if (row.handledAt >= staleBefore.toISOString()) return 'busy';
    const takenOver = await this.db
      .updateTable('handledMessages')
      .set({ handledAt: now.toISOString() })
      .where('receiver', '=', key.receiver)
      .where('messageId', '=', key.messageId)
      .where('state', '=', 'sending')
      .where('handledAt', '=', row.handledAt)
      .executeTakeFirst();
    return takenOver.numUpdatedRows > 0n ? 'claimed' : 'busy';
  }

  /** Marks a claimed key done. */
  async complete({ receiver, messageId }: IdempotencyKey): Promise<void> {
    await this.db.updateTable('handledMessages').set({ state: 'done' }).where('receiver', '=', receiver).where('messageId', '=', messageId).execute();
  }

  /** Drops a claim whose effect failed, so that a retry can claim it again. */
  async release({ receiver, messageId }: IdempotencyKey): Promise<void> {
    await this.db
      .deleteFrom('handledMessages')
      .where('receiver', '=', receiver)
      .where('messageId', '=', messageId)
      .where('state', '=', 'sending')
      .execute();
  }

  #byKey({ receiver, messageId }: IdempotencyKey) {
    return this.db.selectFrom('handledMessages').where('receiver', '=', receiver).where('messageId', '=', messageId);
  }

  async has({ receiver, messageId }: IdempotencyKey): Promise<boolean> {
    const row = await this.db
      .selectFrom('handledMessages')
      .select('receiver')
      .where('receiver', '=', receiver)
      .where('messageId', '=', messageId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
