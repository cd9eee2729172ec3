import { sql } from 'kysely';
import type { DatabaseConnection } from './connection.js';
import { seedProducts } from './migrations/0002-seed-products.js';

// Every table of the app; children first, for the foreign keys (order_items refers to orders
// and products). The migrations' own tables are not in it: the schema stays as it is.
const TABLES = ['order_items', 'orders', 'audit_events', 'handled_messages', 'signal_outbox', 'users', 'products'];

/**
 * Empties every table of the app and seeds the products again, in one transaction: the data
 * a fresh, migrated database has, with ids starting from 1 again. For development only; the
 * schema must be migrated to the latest version.
 */
export async function resetDatabase({ db, dialect }: Pick<DatabaseConnection, 'db' | 'dialect'>): Promise<void> {
  const tables = TABLES.map((table) => sql.table(table));
  await db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      await sql`truncate table ${sql.join(tables)} restart identity`.execute(trx);
    } else {
      for (const table of tables) await sql`delete from ${table}`.execute(trx);
      // Where SQLite keeps the last id of each autoincrement table.
      await sql`delete from sqlite_sequence where name in (${sql.join(TABLES)})`.execute(trx);
    }
    // The seed migration itself, so the catalogue is the one a fresh database gets; a later
    // migration that changed the products would have to be applied here as well.
    await seedProducts.up(trx);
  });
}
