import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
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
 * How long a SQLite relay's claim on a batch holds before another relay may take it (it died):
 * longer than a publish takes (the backends give up on the broker after 1.5 s), short enough
 * that a restarted process soon publishes what a killed one had claimed.
 */
const SQLITE_CLAIM_MS = 5000;

/**
 * Creates the outbox table, `signal_outbox`: `seq` (the order of writing), `id` (the message
 * id, unique), `signal`, `envelope` (JSON), `created` (epoch ms), and `owner` and `claimed`
 * (epoch ms), with which a relay on SQLite claims a batch. Call it from a migration.
 */
export async function createOutboxTable(db: QueryExecutorProvider, dialect: OutboxDialect): Promise<void> {
  const seq = dialect === 'postgres' ? sql`seq bigserial primary key` : sql`seq integer primary key autoincrement`;
  await sql`create table ${TABLE} (
    ${seq}, id text not null unique, signal text not null, envelope text not null, created bigint not null,
    owner text, claimed bigint not null default 0
  )`.execute(db);
}

/**
 * The outbox as a table in the app's database, through Kysely.
 *
 * Several processes relay from one table safely, each message going to one of them. On
 * PostgreSQL a batch is taken `FOR UPDATE SKIP LOCKED` in a transaction that stays open while
 * it is published, and deleted in it. On SQLite, which has one write lock for the whole
 * database, holding it during a publish would stall every write: a relay claims its batch
 * instead (one short UPDATE), publishes it, then deletes it; a claim whose relay died expires
 * after 5 s, and a failed publish gives its claim back at once.
 */
export class KyselyOutboxStore<DB> implements OutboxStore {
  readonly #db: Kysely<DB>;
  readonly #dialect: OutboxDialect;
  /** This store's name on the rows it claims (SQLite). */
  readonly #owner = randomUUID();

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
    if (this.#dialect === 'sqlite') return this.#relayClaimed(limit, publish);
    return this.#db.transaction().execute(async (trx) => {
      const { rows } = await sql<Row>`select seq, id, signal, envelope from ${TABLE}
        order by seq limit ${limit} for update skip locked`.execute(trx);
      return this.#publishThenDelete(trx, rows, publish);
    });
  }

  async oldestAgeMs(): Promise<number | undefined> {
    const { rows } = await sql<{ created: number | string | null }>`select min(created) as created from ${TABLE}`.execute(this.#db);
    const created = rows[0]?.created;
    return created === null || created === undefined ? undefined : Math.max(Date.now() - Number(created), 0);
  }

  async pendingCount(): Promise<number> {
    const { rows } = await sql<{ pending: number | string }>`select count(*) as pending from ${TABLE}`.execute(this.#db);
    return Number(rows[0]?.pending ?? 0);
  }

  async #relayClaimed(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    const now = Date.now();
    await sql`update ${TABLE} set owner = ${this.#owner}, claimed = ${now + SQLITE_CLAIM_MS} where seq in (
      select seq from ${TABLE} where claimed < ${now} order by seq limit ${limit})`.execute(this.#db);
    const { rows } = await sql<Row>`select seq, id, signal, envelope from ${TABLE}
      where owner = ${this.#owner} and claimed > ${now} order by seq`.execute(this.#db);
    try {
      return await this.#publishThenDelete(this.#db, rows, publish);
    } catch (error) {
      await sql`update ${TABLE} set claimed = 0 where owner = ${this.#owner}`.execute(this.#db);
      throw error;
    }
  }

  async #publishThenDelete(db: QueryExecutorProvider, rows: Row[], publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
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
