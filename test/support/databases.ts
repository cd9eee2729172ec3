import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type DatabaseConnection } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

interface OpenDatabase {
  readonly connection: DatabaseConnection;
  close(): Promise<void>;
}

interface Target {
  readonly name: string;
  /** Why the target cannot be used here, or `undefined` when it can. */
  unavailable(): Promise<string | undefined>;
  open(): Promise<OpenDatabase>;
}

const sqlite: Target = {
  name: 'SQLite',
  unavailable: () => Promise.resolve(undefined),
  async open() {
    const connection = connectDatabase({ kind: 'sqlite', filename: ':memory:' });
    await migrateToLatest(connection);
    return { connection, close: () => connection.db.destroy() };
  },
};

function postgres(url: string | undefined): Target {
  const admin = async <T>(run: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'PostgreSQL',
    async unavailable() {
      if (url === undefined) return 'TEST_DATABASE_URL is not set';
      return admin((client) => client.query('select 1')).then(
        () => undefined,
        (error: unknown) => `PostgreSQL at TEST_DATABASE_URL is unreachable: ${String(error)}`,
      );
    },
    async open() {
      // One schema per test, so that concurrent runs and tests never see each other's rows.
      const schema = `test_${randomBytes(6).toString('hex')}`;
      await admin((client) => client.query(`create schema ${schema}`));
      const connection = connectDatabase({ kind: 'postgres', url: url ?? '' }, { schema });
      await migrateToLatest(connection);
      const close = async (): Promise<void> => {
        await connection.db.destroy();
        await admin((client) => client.query(`drop schema ${schema} cascade`));
      };
      return { connection, close };
    },
  };
}

/**
 * Declares `body` once per database: always SQLite, and PostgreSQL when `TEST_DATABASE_URL`
 * is set. An unusable PostgreSQL skips with the reason printed, or fails when
 * `REQUIRE_SERVICES=1`. Each test gets a fresh, migrated database.
 */
export function describeOnEachDatabase(title: string, body: (connection: () => DatabaseConnection) => void): void {
  for (const target of [sqlite, postgres(process.env.TEST_DATABASE_URL)]) {
    describe(`${title} on ${target.name}`, function () {
      let current: OpenDatabase | undefined;
      before(async function () {
        const reason = await target.unavailable();
        if (reason === undefined) return;
        if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason} (REQUIRE_SERVICES=1)`);
        process.stderr.write(`    skipping ${title} on ${target.name}: ${reason}\n`);
        this.skip();
      });
      beforeEach(async () => {
        current = await target.open();
      });
      afterEach(async () => {
        await current?.close();
        current = undefined;
      });
      body(() => {
        if (current === undefined) throw new Error('No database is open');
        return current.connection;
      });
    });
  }
}
