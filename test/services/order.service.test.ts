import { expect } from 'chai';
import type { Db } from '../../src/db/connection.js';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { OrderRepository } from '../../src/repositories/order.repository.js';
import { ProductRepository } from '../../src/repositories/product.repository.js';
import { OrderService } from '../../src/services/order.service.js';
import { orderCanceled, orderPlaced, orderShipped } from '../../src/services/order.signals.js';
import { RecordingBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { openMemoryDatabase } from '../support/database.js';

const customerEmail = 'ada@example.com';

describe('OrderService', () => {
  let db: Db;
  let orders: OrderService;
  let recorder: RecordingBackend;

  beforeEach(async () => {
    ({ db } = await openMemoryDatabase());
    orders = new OrderService({ db, repository: new OrderRepository(db), products: new ProductRepository(db) });
    recorder = new RecordingBackend();
    setBackend(recorder);
  });

  afterEach(async () => {
    resetBackend();
    await db.destroy();
  });

  const placeOne = () => orders.create({ customerEmail, items: [{ sku: 'WIDGET-2', quantity: 3 }] });

  describe('create()', () => {
    it('when the items exist, then the total is the sum of quantity times the current price, in cents', async () => {
      const order = await placeOne();
      expect(order.total).to.equal(3 * 2400);
      expect(recorder.payloadsOf(orderPlaced)).to.deep.equal([
        { orderId: order.id, customerEmail, total: 7200, items: [{ sku: 'WIDGET-2', quantity: 3 }] },
      ]);
    });

    it('when a sku is unknown, then it throws ValidationError, writes nothing and records nothing', async () => {
      const error: unknown = await orders
        .create({ customerEmail, items: [{ sku: 'WIDGET-2', quantity: 1 }, { sku: 'NOPE', quantity: 1 }] })
        .catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(ValidationError);
      expect((await orders.list({ limit: 10, offset: 0 })).total).to.equal(0);
      expect(recorder.dispatched).to.deep.equal([]);
    });
  });

  describe('ship() and cancel()', () => {
    it('when a placed order ships, then order.shipped is recorded with the tracking number', async () => {
      const { id } = await placeOne();
      await orders.ship(id, 'TRK-9');
      expect(recorder.payloadsOf(orderShipped)).to.deep.equal([{ orderId: id, customerEmail, trackingNumber: 'TRK-9' }]);
    });

    it('when a placed order is canceled, then order.canceled carries the items and the payment id', async () => {
      const order = await placeOne();
      await orders.cancel(order.id);
      expect(recorder.payloadsOf(orderCanceled)).to.deep.equal([
        { orderId: order.id, customerEmail, total: 7200, items: [{ sku: 'WIDGET-2', quantity: 3 }], paymentId: order.paymentId },
      ]);
    });

    for (const [first, second] of [['ship', 'cancel'], ['cancel', 'ship'], ['ship', 'ship'], ['cancel', 'cancel']] as const) {
      it(`when an order that was told to ${first} is told to ${second}, then it throws ConflictError and records nothing`, async () => {
        const { id } = await placeOne();
        await (first === 'ship' ? orders.ship(id, 'TRK') : orders.cancel(id));
        recorder.clear();
        const error: unknown = await (second === 'ship' ? orders.ship(id, 'TRK') : orders.cancel(id)).catch((thrown: unknown) => thrown);
        expect(error).to.be.instanceOf(ConflictError);
        const state = first === 'ship' ? 'shipped' : 'canceled';
        expect((error as Error).message).to.equal(`Order ${id} is ${state}; it cannot become ${second === 'ship' ? 'shipped' : 'canceled'}`);
        expect(recorder.dispatched).to.deep.equal([]);
      });
    }

    it('when a shipped order\'s tracking number is corrected, then it is stored and order.shipped is not sent again', async () => {
      const { id } = await placeOne();
      await orders.ship(id, 'TRK-1');
      recorder.clear();
      const corrected = await orders.update(id, { trackingNumber: 'TRK-2' });
      expect(corrected).to.include({ status: 'shipped', trackingNumber: 'TRK-2' });
      expect(recorder.dispatched).to.deep.equal([]);
    });

    it('when an order ships without a tracking number, then order.shipped carries an empty one, not null', async () => {
      const { id } = await placeOne();
      await orders.update(id, { status: 'shipped' });
      expect(recorder.payloadsOf(orderShipped)).to.deep.equal([{ orderId: id, customerEmail, trackingNumber: '' }]);
    });

    it('when the stock no longer holds an order\'s reservation, then cancel fails, the order stays placed and nothing is sent', async () => {
      const { id } = await placeOne();
      await db.updateTable('products').set({ reserved: 0 }).where('sku', '=', 'WIDGET-2').execute();
      const error: unknown = await orders.cancel(id).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error).with.property('message', `Order ${id} holds 3 of WIDGET-2, but less than that is reserved`);
      expect(await orders.findById(id)).to.include({ status: 'placed' });
      expect(recorder.payloadsOf(orderCanceled)).to.deep.equal([]);
    });
  });

  describe('stock', () => {
    it('when a sku is short, then the ConflictError says how many are available', async () => {
      const error: unknown = await orders.create({ customerEmail, items: [{ sku: 'GADGET-1', quantity: 6 }] }).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(ConflictError).with.property('message', 'Not enough stock for GADGET-1: 5 available');
    });

    it('when several skus are short, then the error names the first of them in sku order, the order in which stock is locked', async () => {
      const items = ['WIDGET-1', 'GADGET-1', 'WIDGET-2'].map((sku) => ({ sku, quantity: 1000 }));
      const error: unknown = await orders.create({ customerEmail, items }).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(ConflictError).with.property('message', 'Not enough stock for GADGET-1: 5 available');
    });

    it('when an order is rejected for short stock, then nothing of it stays reserved', async () => {
      const items = [{ sku: 'WIDGET-1', quantity: 2 }, { sku: 'WIDGET-2', quantity: 51 }];
      await orders.create({ customerEmail, items }).catch(() => undefined);
      const reserved = await db.selectFrom('products').select(['sku', 'reserved']).orderBy('sku').execute();
      expect(reserved.every((product) => product.reserved === 0)).to.be.true;
    });
  });
});
