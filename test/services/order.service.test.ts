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
        expect(recorder.dispatched).to.deep.equal([]);
      });
    }
  });
});
