import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../connection.js';

type Schema = Kysely<unknown>['schema'];

// SQLite's autoincrement keeps the ids of deleted rows from coming back, like PostgreSQL's serial.
function tableWithId(schema: Schema, dialect: DialectName, table: string) {
  return dialect === 'postgres'
    ? schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
    : schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

async function createUsers(schema: Schema, dialect: DialectName): Promise<void> {
  await tableWithId(schema, dialect, 'users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

async function createProducts(schema: Schema): Promise<void> {
  await schema
    .createTable('products')
    .addColumn('sku', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price', 'integer', (c) => c.notNull())
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

async function createOrders(schema: Schema, dialect: DialectName): Promise<void> {
  await tableWithId(schema, dialect, 'orders')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_email', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await tableWithId(schema, dialect, 'order_items')
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('sku', 'text', (c) => c.notNull().references('products.sku'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price', 'integer', (c) => c.notNull())
    .execute();
}

async function createAuditEvents(schema: Schema, dialect: DialectName): Promise<void> {
  await tableWithId(schema, dialect, 'audit_events')
    .addColumn('signal', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await schema.createIndex('audit_events_entity').on('audit_events').columns(['entity', 'entity_id']).execute();
}

/** Users, products, orders with their items, and the audit trail. */
export function createTables(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createUsers(db.schema, dialect);
      await createProducts(db.schema);
      await createOrders(db.schema, dialect);
      await createAuditEvents(db.schema, dialect);
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['audit_events', 'order_items', 'orders', 'products', 'users']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
