import { sql, type Kysely, type QueryExecutorProvider, type RawBuilder } from 'kysely';
import type { OutboxMessage, OutboxStore } from './outbox-store.js';

/** Which SQL the store speaks. */
export type OutboxDialect = 'postgres' | 'sqlite';

export interface KyselyOutboxStoreOptions<DB> {
  /** The app's database (not a transaction): the relay reads and deletes through it. */
  readonly db: Kysely<DB>;
  readonly dialect: OutboxDialect;
}

interface Row {
  seq: number | string;
  id: string;
  signal: string;
  envelope: string;
}

// One-word column names, so that the queries read the same with or without CamelCasePlugin.
const TABLE = sql.table('signal_outbox');

/**
 * Creates the outbox table, `signal_outbox`: `seq` (the order of writing), `id` (the message
 * id, unique), `signal`, `envelope` (JSON) and `created` (epoch ms). Call it from a migration.
 */
export async function createOutboxTable(db: QueryExecutorProvider, dialect: OutboxDialect): Promise<void> {
  const seq = dialect === 'postgres' ? sql`seq bigserial primary key` : sql`seq integer primary key autoincrement`;
  await sql`create table ${TABLE} (
    ${seq}, id text not null unique, signal text not null, envelope text not null, created bigint not null
  )`.execute(db);
}

/**
 * The outbox as a table in the app's database, through Kysely.
 *
 * On PostgreSQL several processes relay from one table safely: a batch is taken
 * `FOR UPDATE SKIP LOCKED` in a transaction that stays open while it is published, and deleted
 * in it. On SQLite, which has one writer, the batch is read, published and then deleted
 * without holding the write lock during the publish; two processes relaying at once may then
 * publish a message twice, which the receivers' de-duplication by message id absorbs.
 */
export class KyselyOutboxStore<DB> implements OutboxStore {
  readonly #db: Kysely<DB>;
  readonly #dialect: OutboxDialect;

  constructor({ db, dialect }: KyselyOutboxStoreOptions<DB>) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async write(executor: unknown, { id, signal, json }: OutboxMessage): Promise<void> {
    if (!isExecutorProvider(executor)) {
      throw new TypeError('The open transaction is not a Kysely transaction: the outbox row cannot be written in it');
    }
    await sql`insert into ${TABLE} (id, signal, envelope, created) values (${id}, ${signal}, ${json}, ${Date.now()})`.execute(
      executor,
    );
  }

  relay(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    if (this.#dialect === 'sqlite') return this.#relayBatch(this.#db, limit, publish, sql``);
    return this.#db.transaction().execute((trx) => this.#relayBatch(trx, limit, publish, sql`for update skip locked`));
  }

  async oldestAgeMs(): Promise<number | undefined> {
    const { rows } = await sql<{ created: number | string | null }>`select min(created) as created from ${TABLE}`.execute(this.#db);
    const created = rows[0]?.created;
    return created === null || created === undefined ? undefined : Math.max(Date.now() - Number(created), 0);
  }

  async #relayBatch(
    db: QueryExecutorProvider,
    limit: number,
    publish: (messages: OutboxMessage[]) => Promise<void>,
    lock: RawBuilder<unknown>,
  ): Promise<number> {
    const { rows } = await sql<Row>`select seq, id, signal, envelope from ${TABLE} order by seq limit ${limit} ${lock}`.execute(db);
    if (rows.length === 0) return 0;
    await publish(rows.map(({ id, signal, envelope }) => ({ id, signal, json: envelope })));
    const seqs = sql.join(rows.map((row) => Number(row.seq)));
    await sql`delete from ${TABLE} where seq in (${seqs})`.execute(db);
    return rows.length;
  }
}

function isExecutorProvider(value: unknown): value is QueryExecutorProvider {
  return typeof (value as Partial<QueryExecutorProvider> | null)?.getExecutor === 'function';
}
