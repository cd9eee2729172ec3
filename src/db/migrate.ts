import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseConnection, DialectName } from './connection.js';
import { createTables } from './migrations/0001-create-tables.js';
import { seedProducts } from './migrations/0002-seed-products.js';
import { createHandledMessages } from './migrations/0003-create-handled-messages.js';
import { addStockCheckAndNormalizedEmails } from './migrations/0004-stock-check-and-normalized-emails.js';
import { createSignalOutbox } from './migrations/0005-create-signal-outbox.js';
import { addHandledMessageState } from './migrations/0006-handled-message-state.js';

// Listed in code rather than read from a folder, so the same list works under tsx and from dist/.
/** Every migration for `dialect`, by name, in the order they apply. */
export function migrationsFor(dialect: DialectName): Record<string, Migration> {
  return {
    '0001-create-tables': createTables(dialect),
    '0002-seed-products': seedProducts,
    '0003-create-handled-messages': createHandledMessages,
    '0004-stock-check-and-normalized-emails': addStockCheckAndNormalizedEmails(dialect),
    '0005-create-signal-outbox': createSignalOutbox(dialect),
    '0006-handled-message-state': addHandledMessageState,
  };
}

/**
 * Brings the schema to the latest version.
 *
 * @throws the migration's error; migrations applied before it stay applied.
 */
export async function migrateToLatest({ db: appDb, dialect, openForMigrations, schema }: DatabaseConnection): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrationsFor(dialect)) };
  // Not on the app's pool: its statement timeout is for requests, and a migration may run longer.
  const db = openForMigrations?.() ?? appDb;
  try {
    // Kysely looks for its own tables in every schema unless told which one.
    const { error } = await new Migrator({ db, provider, migrationTableSchema: schema }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error('Migration failed', { cause: error });
  } finally {
    if (db !== appDb) await db.destroy();
  }
}
