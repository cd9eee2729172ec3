import { expect } from 'chai';
import { OrderRepository } from '../../src/repositories/order.repository.js';
import { describeOnEachDatabase } from '../support/databases.js';

const newOrder = {
  customerEmail: 'ada@example.com',
  items: [
    { sku: 'WIDGET-1', quantity: 2, unitPrice: 1250 },
    { sku: 'GADGET-1', quantity: 1, unitPrice: 9999 },
  ],
  total: 12499,
  paymentId: 'pay_1',
};

describeOnEachDatabase('OrderRepository', (connection) => {
  const repository = (): OrderRepository => new OrderRepository(connection().db);

  describe('insert()', () => {
    it('when an order is inserted, then it reads back placed, with its items in order', async () => {
      const order = await repository().insert(newOrder);
      expect(order).to.include({ status: 'placed', total: 12499, paymentId: 'pay_1', trackingNumber: null });
      expect(await repository().findById(order.id)).to.deep.equal(order);
    });
  });

  describe('update()', () => {
    it('when the status changes, then the items are kept', async () => {
      const { id } = await repository().insert(newOrder);
      const shipped = await repository().update(id, { status: 'shipped', trackingNumber: 'TRK' });
      expect(shipped).to.include({ status: 'shipped', trackingNumber: 'TRK' });
      expect(shipped?.items).to.deep.equal(newOrder.items);
    });

    it('when there is no such order, then it returns undefined', async () => {
      expect(await repository().update(404, { status: 'canceled' })).to.equal(undefined);
    });
  });

  describe('delete()', () => {
    it('when the order exists, then it and its items are gone', async () => {
      const { id } = await repository().insert(newOrder);
      expect(await repository().delete(id)).to.be.true;
      const items = await connection().db.selectFrom('orderItems').selectAll().where('orderId', '=', id).execute();
      expect(items).to.deep.equal([]);
    });
  });

  describe('list()', () => {
    it('when there are orders, then it pages them with their items', async () => {
      await repository().insert(newOrder);
      await repository().insert({ ...newOrder, paymentId: 'pay_2' });
      const page = await repository().list({ limit: 1, offset: 1 });
      expect(page.total).to.equal(2);
      expect(page.items.map((order) => [order.paymentId, order.items.length])).to.deep.equal([['pay_2', 2]]);
    });
  });
});
