import type { Db } from '../db/connection.js';

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export interface PageOf<T> {
  readonly items: T[];
  readonly total: number;
}

/**
 * What `BaseCrudService` needs from a repository. `withExecutor(trx)` returns the same
 * repository bound to a transaction, so that a service can group writes.
 */
export interface CrudRepository<TEntity, TInsert, TUpdate> {
  withExecutor(executor: Db): this;
  findById(id: number): Promise<TEntity | undefined>;
  /**
   * Like `findById`, and locks the row until the transaction ends (`SELECT … FOR UPDATE`; on
   * SQLite the immediate transaction already holds the write lock), so that a check made on it
   * still holds at the write. Call it inside a transaction.
   */
  findByIdForUpdate(id: number): Promise<TEntity | undefined>;
  list(page: Page): Promise<PageOf<TEntity>>;
  insert(data: TInsert): Promise<TEntity>;
  /** @returns the updated entity, or `undefined` when there is no row with `id`. */
  update(id: number, changes: TUpdate): Promise<TEntity | undefined>;
  /** @returns true when a row was deleted. */
  delete(id: number): Promise<boolean>;
}

/** Now, as the ISO text the tables store. */
export function now(): string {
  return new Date().toISOString();
}
