import { setTimeout as sleep } from 'node:timers/promises';
import type {
  CompiledQuery,
  DatabaseConnection as KyselyConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { ServiceUnavailableError } from '../errors.js';
import { translateDatabaseError } from './unavailable.js';

export interface GuardOptions {
  /** Replaces `begin` (SQLite: `begin immediate`). */
  readonly beginSql?: CompiledQuery;
  /**
   * SQLite: how to wait for another process's write lock without blocking the event loop. A
   * statement that may be retried (outside a transaction, `begin`, `commit`) and failed with
   * a busy error is tried again, with a growing pause, until `timeoutMs` after the connection
   * was asked for; the wait for the connection itself counts too.
   */
  readonly busy?: { readonly isBusy: (error: unknown) => boolean; readonly timeoutMs: number };
}

const COMMIT_UNKNOWN = 'The database did not confirm the commit; the change may have been applied, check before retrying';

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

/** One acquisition of a connection: the deadline of its busy waits, and whether a transaction is open. */
class GuardedConnection implements KyselyConnection {
  inTransaction = false;

  constructor(
    readonly inner: KyselyConnection,
    readonly deadline: number,
    readonly run: <T>(connection: GuardedConnection, op: () => Promise<T>, retryable: boolean) => Promise<T>,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.run(this, () => this.inner.executeQuery<R>(query), !this.inTransaction);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class GuardedDriver implements Driver {
  readonly #inner: Driver;
  readonly #options: GuardOptions;
  readonly #run = this.#retrying.bind(this);

  constructor(inner: Driver, options: GuardOptions) {
    this.#inner = inner;
    this.#options = options;
    // Savepoints are optional in a driver; offer them only when the wrapped one has them.
    if (inner.savepoint === undefined) this.savepoint = undefined;
    if (inner.rollbackToSavepoint === undefined) this.rollbackToSavepoint = undefined;
    if (inner.releaseSavepoint === undefined) this.releaseSavepoint = undefined;
  }

  async init(): Promise<void> {
    try {
      await this.#inner.init();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async acquireConnection(): Promise<KyselyConnection> {
    const deadline = Date.now() + (this.#options.busy?.timeoutMs ?? 0);
    try {
      const inner = this.#options.busy === undefined ? await this.#inner.acquireConnection() : await this.#acquireBy(deadline);
      return new GuardedConnection(inner, deadline, this.#run);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async beginTransaction(connection: KyselyConnection, settings: TransactionSettings): Promise<void> {
    const guarded = connection as GuardedConnection;
    const { beginSql } = this.#options;
    if (beginSql !== undefined) await guarded.executeQuery(beginSql);
    else await this.#retrying(guarded, () => this.#inner.beginTransaction(guarded.inner, settings), false);
    guarded.inTransaction = true;
  }

  async commitTransaction(connection: KyselyConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    try {
      await this.#retrying(guarded, () => this.#inner.commitTransaction(guarded.inner), true, COMMIT_UNKNOWN);
    } finally {
      guarded.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: KyselyConnection): Promise<void> {
    const guarded = connection as GuardedConnection;
    try {
      await this.#retrying(guarded, () => this.#inner.rollbackTransaction(guarded.inner), false);
    } finally {
      guarded.inTransaction = false;
    }
  }

  savepoint?: Driver['savepoint'] = (connection, name, compile) =>
    this.#inTransaction(connection, (inner) => this.#inner.savepoint!(inner, name, compile));

  rollbackToSavepoint?: Driver['rollbackToSavepoint'] = (connection, name, compile) =>
    this.#inTransaction(connection, (inner) => this.#inner.rollbackToSavepoint!(inner, name, compile));

  releaseSavepoint?: Driver['releaseSavepoint'] = (connection, name, compile) =>
    this.#inTransaction(connection, (inner) => this.#inner.releaseSavepoint!(inner, name, compile));

  releaseConnection(connection: KyselyConnection): Promise<void> {
    return this.#inner.releaseConnection((connection as GuardedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  #inTransaction(connection: KyselyConnection, op: (inner: KyselyConnection) => Promise<void>): Promise<void> {
    const guarded = connection as GuardedConnection;
    return this.#retrying(guarded, () => op(guarded.inner), false);
  }

  async #retrying<T>(connection: GuardedConnection, op: () => Promise<T>, retryable: boolean, message?: string): Promise<T> {
    const busy = this.#options.busy;
    for (let pauseMs = 2; ; pauseMs = Math.min(pauseMs * 2, 50)) {
      try {
        return await op();
      } catch (error) {
        const wait = retryable && busy !== undefined && busy.isBusy(error) && Date.now() + pauseMs < connection.deadline;
        if (!wait) throw translateDatabaseError(error, message);
        await sleep(pauseMs);
      }
    }
  }

  // The wrapped driver's own wait for its connection (SQLite's one-connection mutex) is not
  // bounded; a connection that arrives after the deadline is handed straight back.
  async #acquireBy(deadline: number): Promise<KyselyConnection> {
    const acquiring = this.#inner.acquireConnection();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(deadline - Date.now(), 0));
    });
    const connection = await Promise.race([acquiring, timedOut]).finally(() => clearTimeout(timer));
    if (connection !== undefined) return connection;
    void acquiring.then((late) => this.#inner.releaseConnection(late), () => undefined);
    throw new ServiceUnavailableError('The database is busy; try again shortly');
  }
}
