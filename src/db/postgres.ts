import { PostgresDialect, type Dialect, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { addDurations, describeThrown, runDetached } from '../signals/index.js';
import { guardDialect } from './guarded-driver.js';

export interface PostgresSettings {
  readonly url: string;
  /** Sets `search_path` on every connection: tests isolate a run in its own schema. */
  readonly schema?: string;
  /** Longest wait for a connection, new or from the pool, in ms. */
  readonly connectTimeoutMs: number;
  /**
   * Longest a statement may run, in ms: the server cancels it (`statement_timeout`), and the
   * client gives up a moment later when the server does not answer at all. 0: no limit.
   */
  readonly statementTimeoutMs: number;
  readonly poolSize: number;
  readonly logger?: Logger;
}

// The client's own deadline comes after the server's, so that a slow query is cancelled by the
// server (and its connection stays usable) and only a silent server trips the client's.
const CLIENT_DEADLINE_MARGIN_MS = 500;

/**
 * A PostgreSQL dialect that survives a failing network: connection errors are logged at warn
 * and never crash the process (pg emits `error` on the pool and, while a transaction holds it,
 * on the client, where nothing else listens); every wait is bounded; a connection that failed
 * is never handed out again; and such failures reach the app as `ServiceUnavailableError`.
 */
export function postgresDialect(settings: PostgresSettings): Dialect {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // Derived durations stay within what a Node timer and a PostgreSQL setting accept (2^31 - 1 ms).
    query_timeout: settings.statementTimeoutMs === 0 ? 0 : addDurations(settings.statementTimeoutMs, CLIENT_DEADLINE_MARGIN_MS),
    // A client that vanished mid-transaction must not hold its row locks for long.
    idle_in_transaction_session_timeout: Math.max(addDurations(settings.statementTimeoutMs, settings.statementTimeoutMs), 10_000),
    keepAlive: true,
    ...(settings.schema === undefined ? {} : { options: `-c search_path=${settings.schema}` }),
  });
  const warn = (error: Error): void => {
    settings.logger?.warn(`PostgreSQL database connection failed: ${error.message}`, { errorName: error.name });
  };
  pool.on('error', warn);
  pool.on('connect', (client) => client.on('error', warn));
  return guardDialect(new PostgresDialect({ pool: new DiscardingPool(pool) }));
}

/**
 * The pool Kysely sees: a client whose connection failed answers every later query with the
 * same failure at once (a rollback would otherwise wait out a dead socket) and is destroyed,
 * not returned to the pool, when released.
 */
class DiscardingPool implements PostgresPool {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async connect(): Promise<PostgresPoolClient> {
    // A new client's socket outlives the request that asked for it (see runDetached).
    return new DiscardingClient(await runDetached(() => this.#pool.connect()));
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}

class DiscardingClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  #failure: Error | undefined;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: readonly unknown[]): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return this.#client.query(sqlOrCursor as never);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const result = this.#client.query(sqlOrCursor, parameters as unknown[]) as unknown as Promise<PostgresQueryResult<R>>;
    return result.catch((error: unknown) => {
      if (isConnectionFailure(error)) this.#failure = error instanceof Error ? error : new Error(describeThrown(error), { cause: error });
      throw error;
    });
  }

  /** Kysely passes `true` for a connection it gave up on (its rollback failed). */
  release(discard?: boolean): void {
    this.#client.release(discard === true || this.#failure !== undefined ? true : undefined);
  }
}

// The connection itself is gone or useless: a socket error, a client-side timeout, or the
// server closing it (SQLSTATE class 08, admin shutdown 57P01-57P03). A statement timeout or a
// deadlock leaves the connection usable and is not one of these.
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return true;
  return /^E[A-Z]+$/.test(code) || code.startsWith('08') || /^57P0[123]$/.test(code);
}
