import { sql, type Kysely, type Migration } from 'kysely';

/**
 * `handled_messages.state`: `done`, or `sending` while a delivery performs an effect outside
 * the database (mail), so that a concurrent copy of the same message waits instead of
 * sending it again. Existing rows are done.
 */
export const addHandledMessageState: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table handled_messages add column state text not null default 'done'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`alter table handled_messages drop column state`.execute(db);
  },
};
