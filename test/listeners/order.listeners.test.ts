import { expect } from 'chai';
import sinon from 'sinon';
import { orderCanceled, orderPlaced, orderShipped } from '../../src/services/order.signals.js';
import { ReadCache } from '../../src/services/read-cache.js';
import { useListeners } from '../support/listener-fakes.js';

const items = [{ sku: 'WIDGET-1', quantity: 2 }];
const customerEmail = 'ada@example.com';
// The in-process backend gives no message id: there is nothing to dedupe, so no key goes down.
const noKey = { once: undefined };

describe('order listeners', () => {
  const fixture = useListeners();

  it('when an order is placed, then its stock is reserved, a confirmation is mailed and an audit row is recorded', async () => {
    const { products, mailer, audit } = fixture();
    await orderPlaced.send({ orderId: 3, customerEmail, total: 2500, items });
    sinon.assert.calledOnceWithExactly(products.reserve, items, noKey);
    sinon.assert.calledOnceWithMatch(mailer.send, { to: customerEmail, subject: 'Order 3 confirmed' });
    sinon.assert.calledOnceWithExactly(audit.record, 'order.placed', 'order', 3, { customerEmail, total: 2500, items }, noKey);
  });

  it('when an order ships, then its cached read is dropped and the tracking number is mailed', async () => {
    const { cache, mailer } = fixture();
    cache.set(ReadCache.key('order', 3), { id: 3 });
    await orderShipped.send({ orderId: 3, customerEmail, trackingNumber: 'TRK-1' });
    expect(cache.get(ReadCache.key('order', 3))).to.equal(undefined);
    sinon.assert.calledOnceWithMatch(mailer.send, { subject: 'Order 3 shipped', text: sinon.match('TRK-1') });
  });

  it('when an order is canceled, then the stock is released and the refund is recorded with the payment and amount', async () => {
    const { cache, products, audit } = fixture();
    cache.set(ReadCache.key('order', 3), { id: 3 });
    await orderCanceled.send({ orderId: 3, customerEmail, total: 2500, items, paymentId: 'pay_1' });
    expect(cache.get(ReadCache.key('order', 3))).to.equal(undefined);
    sinon.assert.calledOnceWithExactly(products.release, items, noKey);
    sinon.assert.calledWithExactly(audit.record, 'order.refunded', 'order', 3, { paymentId: 'pay_1', amount: 2500 }, noKey);
    sinon.assert.calledWithMatch(audit.record, 'order.canceled', 'order', 3);
  });

  it('when reserving stock fails, then the other receivers still run and the error is returned', async () => {
    const { products, mailer, audit } = fixture();
    products.reserve.rejects(new Error('database locked'));
    const errors = await orderPlaced.send({ orderId: 3, customerEmail, total: 2500, items });
    expect(errors.map((error) => error.message)).to.deep.equal(['database locked']);
    sinon.assert.calledOnce(mailer.send);
    sinon.assert.calledOnce(audit.record);
  });
});
