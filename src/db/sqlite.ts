import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  OperationNodeTransformer,
  SqliteDialect,
  type Dialect,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryNode,
  type UnknownRow,
} from 'kysely';
import { guardDialect } from './guarded-driver.js';
import { isSqliteBusy } from './unavailable.js';

export interface SqliteSettings {
  /** A file (its folder is created) or `:memory:`. */
  readonly filename: string;
  /** How long a write waits for another process's write lock before it fails (503), in ms. */
  readonly busyTimeoutMs: number;
}

/**
 * A SQLite dialect for a file that several processes share (the web process and a worker).
 *
 * Every transaction begins `IMMEDIATE`: it takes the write lock first, waiting up to the busy
 * timeout for it without blocking the event loop. A deferred `BEGIN` that reads and then writes fails at once with
 * `SQLITE_BUSY_SNAPSHOT` when another process wrote in between, and no timeout helps it.
 * In this process the one connection already runs one transaction at a time, so reads lose
 * nothing. WAL lets readers in other processes go on while one writes.
 */
export function sqliteDialect({ filename, busyTimeoutMs }: SqliteSettings): Dialect {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  // No busy timeout in better-sqlite3: its wait is synchronous and would stop the whole process
  // (every request, /health) while another process writes. The guard waits asynchronously.
  const database = new SqliteDatabase(filename, { timeout: 0 });
  database.pragma('foreign_keys = ON');
  if (filename !== ':memory:') database.pragma('journal_mode = WAL');
  return guardDialect(new SqliteDialect({ database }), {
    beginSql: CompiledQuery.raw('begin immediate'),
    busy: { isBusy: isSqliteBusy, timeoutMs: busyTimeoutMs },
  });
}

/**
 * Drops `FOR UPDATE` / `FOR SHARE` from selects, which SQLite does not parse: an immediate
 * transaction already holds the database's one write lock, so the rows it reads cannot change
 * under it. Repositories can then lock rows the same way on both databases.
 */
export class SqliteRowLocksPlugin implements KyselyPlugin {
  readonly #transformer = new WithoutRowLocks();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

const ROW_LOCKS = new Set(['ForUpdate', 'ForShare', 'ForKeyShare', 'ForNoKeyUpdate', 'NoWait', 'SkipLocked']);

class WithoutRowLocks extends OperationNodeTransformer {
  protected override transformSelectQuery(node: SelectQueryNode, queryId?: QueryId): SelectQueryNode {
    const transformed = super.transformSelectQuery(node, queryId);
    const endModifiers = transformed.endModifiers?.filter((m) => m.modifier === undefined || !ROW_LOCKS.has(m.modifier));
    return Object.freeze({ ...transformed, endModifiers: endModifiers?.length ? endModifiers : undefined });
  }
}
