import { connectDatabase, type DatabaseConnection } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** A fresh, migrated in-memory SQLite database. */
export async function openMemoryDatabase(): Promise<DatabaseConnection> {
  const connection = connectDatabase({ kind: 'sqlite', filename: ':memory:' });
  await migrateToLatest(connection);
  return connection;
}
