import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../connection.js';

/** Users, products, orders with their items, and the audit trail. */
export function createTables(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // SQLite's autoincrement keeps ids of deleted rows from being reused, like PostgreSQL's serial.
      const withId = (table: string) =>
        dialect === 'postgres'
          ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
          : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await withId('users')
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('products')
        .addColumn('sku', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('price', 'integer', (c) => c.notNull())
        .addColumn('on_hand', 'integer', (c) => c.notNull())
        .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await withId('orders')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('customer_email', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('payment_id', 'text', (c) => c.notNull())
        .addColumn('tracking_number', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await withId('order_items')
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('sku', 'text', (c) => c.notNull().references('products.sku'))
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('unit_price', 'integer', (c) => c.notNull())
        .execute();
      await withId('audit_events')
        .addColumn('signal', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_entity').on('audit_events').columns(['entity', 'entity_id']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['audit_events', 'order_items', 'orders', 'products', 'users']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
