import { sql, type Kysely, type Migration } from 'kysely';

/** The demo catalogue; prices in integer cents. */
export const seedProducts: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      insert into products (sku, name, price, on_hand, reserved) values
        ('WIDGET-1', 'Widget, small', 1250, 100, 0),
        ('WIDGET-2', 'Widget, large', 2400, 50, 0),
        ('GADGET-1', 'Gadget', 9999, 5, 0)
    `.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`delete from products where sku in ('WIDGET-1', 'WIDGET-2', 'GADGET-1')`.execute(db);
  },
};
