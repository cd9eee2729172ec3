import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connection.js';

const STOCK_RULE = sql`check (reserved >= 0 and reserved <= on_hand)`;

/** Refuses to go on, with what to fix, when existing rows break a rule this migration adds. */
async function assertNone(db: Kysely<unknown>, query: ReturnType<typeof sql<{ value: string }>>, problem: string): Promise<void> {
  const { rows } = await query.execute(db);
  if (rows.length > 0) throw new Error(`${problem}: ${rows.map((row) => row.value).join(', ')}. Fix these rows, then start again.`);
}

// SQLite cannot add a CHECK to a table: the documented way is to rebuild the table, with
// foreign keys off (order_items refers to products) and checked before the commit.
async function rebuildProductsWithCheck(db: Kysely<unknown>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql`create table products_new (
        sku text primary key, name text not null, price integer not null,
        on_hand integer not null, reserved integer not null default 0,
        constraint products_stock_check ${STOCK_RULE})`.execute(trx);
      await sql`insert into products_new (sku, name, price, on_hand, reserved)
        select sku, name, price, on_hand, reserved from products`.execute(trx);
      await sql`drop table products`.execute(trx);
      await sql`alter table products_new rename to products`.execute(trx);
      const { rows } = await sql`pragma foreign_key_check`.execute(trx);
      if (rows.length > 0) throw new Error('Rebuilding products broke a foreign key');
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/**
 * Two rules that must hold whatever the code does, in the database itself: stock is never
 * reserved below zero or beyond what is on hand, and one mailbox is one account (addresses
 * are stored trimmed and lower-cased, and a unique index on `lower(email)` guards the rule).
 *
 * @throws naming the offending rows when existing data breaks a rule; nothing is changed then.
 */
export function addStockCheckAndNormalizedEmails(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await assertNone(
        db,
        sql<{ value: string }>`select sku as value from products where reserved < 0 or reserved > on_hand`,
        'Products with reserved stock below zero or beyond what is on hand',
      );
      await assertNone(
        db,
        sql<{ value: string }>`select lower(trim(email)) as value from users group by lower(trim(email)) having count(*) > 1`,
        'Accounts whose e-mail addresses differ only in case or spaces',
      );
      if (dialect === 'sqlite') await rebuildProductsWithCheck(db);
      else await sql`alter table products add constraint products_stock_check ${STOCK_RULE}`.execute(db);
      await sql`update users set email = lower(trim(email)) where email <> lower(trim(email))`.execute(db);
      await sql`create unique index users_email_normalized on users (lower(email))`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`drop index users_email_normalized`.execute(db);
      if (dialect === 'postgres') await sql`alter table products drop constraint products_stock_check`.execute(db);
    },
  };
}
