import type {
  CompiledQuery,
  DatabaseConnection as KyselyConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { ServiceUnavailableError } from '../errors.js';

// SQLSTATE classes and codes that say "not now" rather than "wrong query": connection
// exceptions (08), insufficient resources (53), operator intervention such as a shutdown or a
// statement timeout (57), transaction rollbacks such as a deadlock or a serialization failure
// (40), and a lock that could not be taken (55P03).
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '40']);
const UNAVAILABLE_SQLSTATES = new Set(['55P03']);
const UNAVAILABLE_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)/;
// What the PostgreSQL client and pool say, without a SQLSTATE, when the connection fails.
const CONNECTION_FAILURE = /connect|terminated|timeout|not queryable|closed|discarded/i;

/**
 * True when `error` means the database cannot serve now (unreachable, not answering in time,
 * busy, shutting down), as opposed to a query it rejected (a constraint, bad SQL, a bad
 * binding): a SQLSTATE or SQLite code of that kind, a socket error (`ECONNRESET`), or a
 * connection failure the PostgreSQL client reports without a code (`Query read timeout`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return UNAVAILABLE_SQLITE_CODES.test(code);
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_SQLSTATES.has(code);
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return code === undefined && CONNECTION_FAILURE.test(error.message);
}

function translate(error: unknown): unknown {
  if (error instanceof ServiceUnavailableError || !isDatabaseUnavailable(error)) return error;
  return new ServiceUnavailableError('The database is unavailable; try again shortly', { cause: error });
}

export interface GuardOptions {
  /** Replaces `begin` (SQLite: `begin immediate`). */
  readonly beginSql?: CompiledQuery;
}

/**
 * Wraps a Kysely dialect so that every failure that means "the database cannot serve now"
 * reaches the app as a `ServiceUnavailableError` (answered 503), whichever query, transaction
 * step or connection attempt it came from. Everything else is passed through unchanged.
 */
export function guardDialect(dialect: Dialect, options: GuardOptions = {}): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new GuardedDriver(dialect.createDriver(), options),
  };
}

class GuardedDriver implements Driver {
  readonly #inner: Driver;
  readonly #options: GuardOptions;

  constructor(inner: Driver, options: GuardOptions) {
    this.#inner = inner;
    this.#options = options;
    // Savepoints are optional in a driver; offer them only when the wrapped one has them.
    if (inner.savepoint === undefined) this.savepoint = undefined;
    if (inner.rollbackToSavepoint === undefined) this.rollbackToSavepoint = undefined;
    if (inner.releaseSavepoint === undefined) this.releaseSavepoint = undefined;
  }

  init(): Promise<void> {
    return this.#guard(() => this.#inner.init());
  }

  async acquireConnection(): Promise<KyselyConnection> {
    const connection = await this.#guard(() => this.#inner.acquireConnection());
    return guardConnection(connection, (run) => this.#guard(run));
  }

  beginTransaction(connection: KyselyConnection, settings: TransactionSettings): Promise<void> {
    const { beginSql } = this.#options;
    if (beginSql !== undefined) return connection.executeQuery(beginSql).then(() => undefined);
    return this.#guard(() => this.#inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: KyselyConnection): Promise<void> {
    return this.#guard(() => this.#inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: KyselyConnection): Promise<void> {
    return this.#guard(() => this.#inner.rollbackTransaction(unwrap(connection)));
  }

  savepoint?: Driver['savepoint'] = (connection, name, compile) =>
    this.#guard(() => this.#inner.savepoint!(unwrap(connection), name, compile));

  rollbackToSavepoint?: Driver['rollbackToSavepoint'] = (connection, name, compile) =>
    this.#guard(() => this.#inner.rollbackToSavepoint!(unwrap(connection), name, compile));

  releaseSavepoint?: Driver['releaseSavepoint'] = (connection, name, compile) =>
    this.#guard(() => this.#inner.releaseSavepoint!(unwrap(connection), name, compile));

  releaseConnection(connection: KyselyConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  async #guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translate(error);
    }
  }
}

const INNER = Symbol('inner connection');
type Guarded = KyselyConnection & { [INNER]: KyselyConnection };

// The wrapped driver must get back the very connection object it handed out.
function guardConnection(connection: KyselyConnection, guard: <T>(run: () => Promise<T>) => Promise<T>): Guarded {
  return {
    [INNER]: connection,
    executeQuery: <R>(query: CompiledQuery) => guard<QueryResult<R>>(() => connection.executeQuery<R>(query)),
    streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
  };
}

function unwrap(connection: KyselyConnection): KyselyConnection {
  return (connection as Partial<Guarded>)[INNER] ?? connection;
}
