import { expect } from 'chai';
import { Migrator, sql } from 'kysely';
import { connectDatabase, type DatabaseConnection } from '../../src/db/connection.js';
import { migrateToLatest, migrationsFor } from '../../src/db/migrate.js';
import { ProductRepository } from '../../src/repositories/product.repository.js';
import { databaseTargets, requireDatabase, type TestDatabase } from '../support/databases.js';

for (const target of databaseTargets()) {
  describe(`migrations on ${target.name}`, () => {
    let database: TestDatabase;
    let connection: DatabaseConnection;

    before(requireDatabase(target, 'migrations'));
    beforeEach(async () => {
      database = await target.create();
      connection = connectDatabase(database.config, database.postgres);
      const provider = { getMigrations: () => Promise.resolve(migrationsFor(connection.dialect)) };
      const { error } = await new Migrator({ db: connection.db, provider, migrationTableSchema: connection.schema }).migrateTo(
        '0003-create-handled-messages',
      );
      if (error !== undefined) throw error instanceof Error ? error : new Error('The migration failed', { cause: error });
    });
    afterEach(async () => {
      await connection.db.destroy();
      await database.drop();
    });

    const addUser = (email: string) =>
      sql`insert into users (email, name, password_hash, created_at, updated_at) values (${email}, 'A', 'x', '', '')`.execute(
        connection.db,
      );

    it('when existing addresses are mixed case, then they are stored lower-cased and a new one in another case is refused', async () => {
      await addUser(' Ada@Example.COM');
      await migrateToLatest(connection);
      const { rows } = await sql<{ email: string }>`select email from users`.execute(connection.db);
      expect(rows.map((row) => row.email)).to.deep.equal(['ada@example.com']);
      const error: unknown = await addUser('ADA@example.com').catch((thrown: unknown) => thrown);
      expect(error).to.have.property('code').that.matches(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/);
    });

    it('when two accounts differ only in case, then the migration refuses and names the address', async () => {
      await addUser('a@example.com');
      await addUser('A@example.com');
      const error: unknown = await migrateToLatest(connection).catch((thrown: unknown) => thrown);
      expect(String(error)).to.contain('differ only in case').and.contain('a@example.com');
    });

    it('when migrated, then the database refuses stock reserved beyond what is on hand or below zero', async () => {
      await migrateToLatest(connection);
      const products = new ProductRepository(connection.db);
      for (const delta of [{ reserved: 6 }, { reserved: -1 }, { onHand: -6 }]) {
        const error: unknown = await products.adjustStock('GADGET-1', delta).catch((thrown: unknown) => thrown);
        expect(error, JSON.stringify(delta)).to.have.property('code').that.matches(/^(23514|SQLITE_CONSTRAINT_CHECK)$/);
      }
      const [gadget] = await products.findBySkus(['GADGET-1']);
      expect(gadget).to.include({ onHand: 5, reserved: 0 });
    });

    it('when an order refers to a product, then rebuilding products keeps the reference and the rows', async () => {
      await sql`insert into orders (status, customer_email, total, payment_id, created_at, updated_at)
        values ('placed', 'a@example.com', 1250, 'pay_1', '', '')`.execute(connection.db);
      await sql`insert into order_items (order_id, sku, quantity, unit_price) values (1, 'WIDGET-1', 1, 1250)`.execute(connection.db);
      await sql`update products set reserved = 1 where sku = 'WIDGET-1'`.execute(connection.db);
      await migrateToLatest(connection);
      const [widget] = await new ProductRepository(connection.db).findBySkus(['WIDGET-1']);
      expect(widget).to.include({ onHand: 100, reserved: 1 });
      const error: unknown = await sql`insert into order_items (order_id, sku, quantity, unit_price) values (1, 'NOPE', 1, 1)`
        .execute(connection.db)
        .catch((thrown: unknown) => thrown);
      expect(error).to.have.property('code').that.matches(/^(23503|SQLITE_CONSTRAINT_FOREIGNKEY)$/);
    });
  });
}
