import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DialectName = DatabaseConfig['kind'];

export interface DatabaseConnection {
  readonly db: Db;
  readonly dialect: DialectName;
}

export interface PostgresOptions {
  /** Sets `search_path` on every connection: tests isolate a run in its own schema. */
  readonly schema?: string;
}

/** Opens the database `config` names; for a SQLite file, creates its folder first. */
export function connectDatabase(config: DatabaseConfig, options: PostgresOptions = {}): DatabaseConnection {
  if (config.kind === 'postgres') return { db: connectPostgres(config.url, options), dialect: 'postgres' };
  return { db: connectSqlite(config.filename), dialect: 'sqlite' };
}

function connectSqlite(filename: string): Db {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const database = new SqliteDatabase(filename);
  database.pragma('foreign_keys = ON');
  if (filename !== ':memory:') database.pragma('journal_mode = WAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }), plugins: [new CamelCasePlugin()] });
}

function connectPostgres(connectionString: string, options: PostgresOptions): Db {
  const searchPath = options.schema === undefined ? undefined : `-c search_path=${options.schema}`;
  const pool = new pg.Pool({ connectionString, max: 10, ...(searchPath ? { options: searchPath } : {}) });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

/** True when the database answers a trivial query; for readiness probes. */
export async function isDatabaseReady(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** True for a unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
