import type { Db } from '../db/connection.js';
import { inTransaction } from '../db/transaction.js';
import { NotFoundError } from '../errors.js';
import type { CrudRepository, Page, PageOf } from '../repositories/crud.repository.js';
import { ReadCache } from './read-cache.js';

export interface CrudServiceDeps<TRepository> {
  readonly db: Db;
  readonly repository: TRepository;
  /** When given, `findOrFail` reads through it; listeners invalidate it. */
  readonly cache?: ReadCache;
}

/**
 * Create, update and delete inside one transaction each, with hooks around the write.
 *
 * - `prepareCreate` runs before the transaction opens: slow work that needs no database (hashing
 *   a password) must not hold a connection, which on SQLite is the only one.
 * - `before*` hooks run inside the transaction (they get it as `trx`): they may transform the
 *   input or throw, which rolls back and fires nothing. Rules that must hold (stock, state
 *   transitions) are enforced here, under the row's lock, never in a listener.
 * - `after*` hooks run inside the transaction too, right after the write: that is where a
 *   service sends its signals, next to the write they announce. A send there takes effect
 *   only when the outermost transaction commits ({@link inTransaction}): the in-process
 *   receivers run after the commit and before the method returns, an outbox row commits with
 *   the write; a rollback sends nothing.
 *
 * A service method that calls another one's `create` or `update` shares its transaction
 * (a savepoint): everything commits together, or nothing does.
 *
 * `TCreate`/`TUpdate` are what callers pass, `TPrepared` what `prepareCreate` makes of `TCreate`
 * (the same unless a service overrides it), `TInsert`/`TChanges` what the repository writes.
 */
export abstract class BaseCrudService<TEntity, TCreate, TUpdate, TInsert, TChanges, TPrepared = TCreate> {
  /** Used in messages and cache keys: `'user'`. */
  protected abstract readonly entityName: string;
  protected readonly db: Db;
  protected readonly repository: CrudRepository<TEntity, TInsert, TChanges>;
  protected readonly cache: ReadCache | undefined;

  constructor(deps: CrudServiceDeps<CrudRepository<TEntity, TInsert, TChanges>>) {
    this.db = deps.db;
    this.repository = deps.repository;
    this.cache = deps.cache;
  }

  /** Default: the input as it is. A service whose `TPrepared` differs must override it. */
  protected prepareCreate(input: TCreate): Promise<TPrepared> | TPrepared {
    return input as unknown as TPrepared;
  }
  protected abstract beforeCreate(input: TPrepared, trx: Db): Promise<TInsert> | TInsert;
  protected abstract beforeUpdate(id: number, input: TUpdate, current: TEntity, trx: Db): Promise<TChanges> | TChanges;
  protected beforeDelete(_id: number, _trx: Db): Promise<void> | void {}
  protected afterCreate(_entity: TEntity, _trx: Db): Promise<void> | void {}
  protected afterUpdate(_entity: TEntity, _previous: TEntity, _trx: Db): Promise<void> | void {}
  protected afterDelete(_id: number, _trx: Db): Promise<void> | void {}

  async create(input: TCreate): Promise<TEntity> {
    const prepared = await this.prepareCreate(input);
    return inTransaction(this.db, async (trx) => {
      const row = await this.beforeCreate(prepared, trx);
      const entity = await this.repository.withExecutor(trx).insert(row);
      await this.afterCreate(entity, trx);
      return entity;
    });
  }

  /**
   * Reads the row under a lock, lets `beforeUpdate` check and shape the change, and writes it,
   * all in one transaction: of two concurrent updates the second reads what the first wrote,
   * so a check in `beforeUpdate` (a state transition) holds at the write. When `beforeUpdate`
   * returns no changes (`{}`), nothing is written and `afterUpdate` is not called.
   *
   * @throws NotFoundError when there is no entity with `id`; whatever `beforeUpdate` throws.
   */
  update(id: number, input: TUpdate): Promise<TEntity> {
    return inTransaction(this.db, async (trx) => {
      const repository = this.repository.withExecutor(trx);
      const current = this.#orFail(id, await repository.findByIdForUpdate(id));
      const changes = await this.beforeUpdate(id, input, current, trx);
      if (Object.keys(changes as object).length === 0) return current;
      const entity = this.#orFail(id, await repository.update(id, changes));
      await this.afterUpdate(entity, current, trx);
      return entity;
    });
  }

  /** @throws NotFoundError when there is no entity with `id`. */
  delete(id: number): Promise<void> {
    return inTransaction(this.db, async (trx) => {
      await this.beforeDelete(id, trx);
      if (!(await this.repository.withExecutor(trx).delete(id))) this.#orFail(id, undefined);
      await this.afterDelete(id, trx);
    });
  }

  /** Reads from the database, never from the cache. */
  findById(id: number): Promise<TEntity | undefined> {
    return this.repository.findById(id);
  }

  /**
   * Reads through the cache when there is one.
   *
   * @throws NotFoundError when there is no entity with `id`.
   */
  async findOrFail(id: number): Promise<TEntity> {
    const key = ReadCache.key(this.entityName, id);
    const cached = this.cache?.get<TEntity>(key);
    if (cached !== undefined) return cached;
    const ticket = this.cache?.ticket();
    const entity = this.#orFail(id, await this.repository.findById(id));
    this.cache?.set(key, entity, ticket);
    return entity;
  }

  list(page: Page): Promise<PageOf<TEntity>> {
    return this.repository.list(page);
  }

  #orFail<T>(id: number, entity: T | undefined): T {
    if (entity === undefined) throw new NotFoundError(`No ${this.entityName} with id ${id}`);
    return entity;
  }
}
