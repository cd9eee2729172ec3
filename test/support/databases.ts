import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { connectDatabase, type DatabaseConnection, type PostgresOptions } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** A database a test may use: its config, the Postgres schema it lives in, and how to drop it. */
export interface TestDatabase {
  readonly config: DatabaseConfig;
  readonly postgres: PostgresOptions;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Why the target cannot be used here, or `undefined` when it can. */
  unavailable(): Promise<string | undefined>;
  /** A fresh, empty database (not migrated). */
  create(): Promise<TestDatabase>;
}

/** The PostgreSQL server the suites use, from `TEST_DATABASE_URL`. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const sqliteTarget: DatabaseTarget = {
  name: 'SQLite',
  unavailable: () => Promise.resolve(undefined),
  create: () => Promise.resolve({ config: { kind: 'sqlite', filename: ':memory:' }, postgres: {}, drop: async () => {} }),
};

/** Runs `run` on a short-lived admin connection to `url`. */
export async function withPostgresClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export function postgresTarget(url: string | undefined = TEST_DATABASE_URL): DatabaseTarget {
  return {
    name: 'PostgreSQL',
    async unavailable() {
      if (url === undefined) return 'TEST_DATABASE_URL is not set';
      return withPostgresClient(url, (client) => client.query('select 1')).then(
        () => undefined,
        (error: unknown) => `PostgreSQL at TEST_DATABASE_URL is unreachable: ${String(error)}`,
      );
    },
    async create() {
      // One schema per test, so that concurrent runs and tests never see each other's rows.
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const admin = url ?? '';
      await withPostgresClient(admin, (client) => client.query(`create schema ${schema}`));
      return {
        config: { kind: 'postgres', url: admin },
        postgres: { schema },
        drop: () => withPostgresClient(admin, (client) => client.query(`drop schema ${schema} cascade`)).then(() => {}),
      };
    },
  };
}

/**
 * A mocha `before` hook for a suite on `target`: skips it with the reason printed when the
 * target is unusable, or fails it when `REQUIRE_SERVICES=1`.
 */
export function requireDatabase(target: DatabaseTarget, title: string): (this: Mocha.Context) => Promise<void> {
  return async function () {
    const reason = await target.unavailable();
    if (reason === undefined) return;
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason} (REQUIRE_SERVICES=1)`);
    process.stderr.write(`    skipping ${title} on ${target.name}: ${reason}\n`);
    this.skip();
  };
}

/** The targets every database suite runs on: SQLite always, PostgreSQL when configured. */
export function databaseTargets(): DatabaseTarget[] {
  return [sqliteTarget, postgresTarget()];
}

/**
 * Declares `body` once per database: always SQLite, and PostgreSQL when `TEST_DATABASE_URL`
 * is set. An unusable PostgreSQL skips with the reason printed, or fails when
 * `REQUIRE_SERVICES=1`. Each test gets a fresh, migrated database.
 */
export function describeOnEachDatabase(title: string, body: (connection: () => DatabaseConnection) => void): void {
  for (const target of databaseTargets()) {
    describe(`${title} on ${target.name}`, function () {
      let current: { connection: DatabaseConnection; database: TestDatabase } | undefined;
      before(requireDatabase(target, title));
      beforeEach(async () => {
        const database = await target.create();
        const connection = connectDatabase(database.config, database.postgres);
        await migrateToLatest(connection);
        current = { connection, database };
      });
      afterEach(async () => {
        await current?.connection.db.destroy();
        await current?.database.drop();
        current = undefined;
      });
      body(() => {
        if (current === undefined) throw new Error('No database is open');
        return current.connection;
      });
    });
  }
}
