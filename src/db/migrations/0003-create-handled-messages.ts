import type { Kysely, Migration } from 'kysely';

/**
 * The messages each receiver has already handled, so that a broker's redelivery of the same
 * message skips the side effect instead of repeating it.
 */
export const createHandledMessages: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('handled_messages')
      .addColumn('receiver', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('handled_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('handled_messages_pkey', ['receiver', 'message_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('handled_messages').execute();
  },
};
