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

  it('when an order is placed, then a confirmation is mailed and an audit row is recorded', async () => {
    const { mailer, audit } = fixture();
    await orderPlaced.send({ orderId: 3, customerEmail, total: 2500, items });
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

  it('when an order is canceled, then its cached read is dropped and the refund is recorded with the payment and amount', async () => {
    const { cache, audit } = fixture();
    cache.set(ReadCache.key('order', 3), { id: 3 });
    await orderCanceled.send({ orderId: 3, customerEmail, total: 2500, items, paymentId: 'pay_1' });
    expect(cache.get(ReadCache.key('order', 3))).to.equal(undefined);
    sinon.assert.calledWithExactly(audit.record, 'order.refunded', 'order', 3, { paymentId: 'pay_1', amount: 2500 }, noKey);
    sinon.assert.calledWithMatch(audit.record, 'order.canceled', 'order', 3);
  });

  it('when mailing the confirmation fails, then the other receivers still run and the error is returned', async () => {
    const { mailer, audit } = fixture();
    mailer.send.rejects(new Error('SMTP down'));
    const errors = await orderPlaced.send({ orderId: 3, customerEmail, total: 2500, items });
    expect(errors.map((error) => error.message)).to.deep.equal(['SMTP down']);
    sinon.assert.calledOnce(audit.record);
  });
});
