import { ConfigError, loadConfig, loadEnvFile, type DatabaseConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { resetDatabase } from '../src/db/reset.js';
import { describeThrown } from '../src/signals/index.js';

// `npm run db:reset`: the database `npm start` would use (DATABASE_URL, from .env too) back to
// the data of a fresh start: migrated, tables emptied, products seeded, ids from 1. A running
// server keeps its read cache and dev mailbox; `POST /dev/reset` clears those too.

async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  if (config.nodeEnv === 'production') {
    process.stderr.write('Refusing to reset the database: NODE_ENV is production\n');
    process.exitCode = 1;
    return;
  }
  const connection = connectDatabase(config.database, { timeouts: config.databaseTimeouts });
  try {
    await migrateToLatest(connection);
    await resetDatabase(connection);
  } finally {
    await connection.db.destroy();
  }
  process.stdout.write(`Reset ${describe(config.database)}: tables emptied, products seeded\n`);
}

/** Where the database is, without a password. */
function describe(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `sqlite:${database.filename}`;
  const url = new URL(database.url);
  return `${url.protocol}//${url.host}${url.pathname}`;
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Reset failed: ${describeThrown(error)}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
