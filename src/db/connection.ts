import { CamelCasePlugin, Kysely, sql, type KyselyPlugin } from 'kysely';
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseConfig, type DatabaseTimeouts } from '../config.js';
import type { Logger } from '../logger.js';
import { assertDuration } from '../signals/index.js';
import { postgresDialect } from './postgres.js';
import type { Database } from './schema.js';
import { sqliteDialect, SqliteRowLocksPlugin } from './sqlite.js';

export type Db = Kysely<Database>;
export type DialectName = DatabaseConfig['kind'];

export interface DatabaseConnection {
  readonly db: Db;
  readonly dialect: DialectName;
  /**
   * PostgreSQL: opens a separate one-connection database without the statement timeout, for
   * migrations, which may rightly run longer than any request; destroy it when done.
   */
  readonly openForMigrations?: () => Db;
  /** PostgreSQL: the schema `search_path` was set to, if one was given. */
  readonly schema?: string;
}

export interface PostgresOptions {
  /** Sets `search_path` on every connection: tests isolate a run in its own schema. */
  readonly schema?: string;
}

export interface ConnectOptions extends PostgresOptions {
  /** Where connection failures are logged (at warn). */
  readonly logger?: Logger;
  readonly timeouts?: Partial<DatabaseTimeouts>;
}

const POSTGRES_POOL_SIZE = 10;

/**
 * Opens the database `config` names (no query is run yet); for a SQLite file, creates its folder
 * first. Failures that mean "the database cannot serve now" surface as `ServiceUnavailableError`.
 *
 * @throws RangeError naming the timeout when one is not above 0 and at most 2^31 − 1 ms.
 */
export function connectDatabase(config: DatabaseConfig, options: ConnectOptions = {}): DatabaseConnection {
  const timeouts = { ...DEFAULT_DATABASE_TIMEOUTS, ...options.timeouts };
  for (const [name, value] of Object.entries(timeouts)) assertDuration(`timeouts.${name}`, value);
  const plugins: KyselyPlugin[] = [new CamelCasePlugin()];
  if (config.kind === 'sqlite') {
    const dialect = sqliteDialect({ filename: config.filename, busyTimeoutMs: timeouts.busyMs });
    return { db: new Kysely<Database>({ dialect, plugins: [...plugins, new SqliteRowLocksPlugin()] }), dialect: 'sqlite' };
  }
  const settings = { url: config.url, schema: options.schema, connectTimeoutMs: timeouts.connectMs, logger: options.logger };
  const dialect = postgresDialect({ ...settings, statementTimeoutMs: timeouts.statementMs, poolSize: POSTGRES_POOL_SIZE });
  const openForMigrations = (): Db =>
    new Kysely<Database>({ dialect: postgresDialect({ ...settings, statementTimeoutMs: 0, poolSize: 1 }), plugins });
  return { db: new Kysely<Database>({ dialect, plugins }), dialect: 'postgres', openForMigrations, schema: options.schema };
}

/**
 * True when the database answers a trivial query within `timeoutMs`; for readiness probes,
 * which must answer even when the database does not.
 */
export async function isDatabaseReady(db: Db, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
  const answered = sql`select 1`.execute(db).then(() => true, () => false);
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** True for a unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
