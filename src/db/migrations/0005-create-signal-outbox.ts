import type { Kysely, Migration } from 'kysely';
import { createOutboxTable } from '../../signals/outbox/index.js';
import type { DialectName } from '../connection.js';

/** The transactional outbox of the broker backends: messages of committed writes not yet published. */
export function createSignalOutbox(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createOutboxTable(db, dialect);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('signal_outbox').execute();
    },
  };
}
