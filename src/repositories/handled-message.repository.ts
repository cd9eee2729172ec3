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
