import { expect } from 'chai';
import request from 'supertest';
import { orderCanceled, orderPlaced, orderShipped } from '../../src/services/order.signals.js';
import { captureSignals } from '../../src/signals/index.js';
import { useTestApp } from '../support/test-app.js';

interface OrderBody {
  id: number;
  status: string;
  total: number;
  paymentId: string;
  items: { sku: string; quantity: number; unitPrice: number }[];
}

interface ProductBody {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

const customerEmail = 'ada@example.com';
const twoWidgetsAndAGadget = { customerEmail, items: [{ sku: 'WIDGET-1', quantity: 2 }, { sku: 'GADGET-1', quantity: 1 }] };

describe('orders routes', () => {
  const t = useTestApp();

  const place = async (body: object = twoWidgetsAndAGadget): Promise<OrderBody> =>
    (await request(t().app).post('/orders').send(body).expect(201)).body as OrderBody;

  const stockOf = async (sku: string): Promise<ProductBody | undefined> => {
    const products = (await request(t().app).get('/products').expect(200)).body as ProductBody[];
    return products.find((product) => product.sku === sku);
  };

  describe('GET /products', () => {
    it('when nothing was ordered, then it lists the seeded catalogue with its stock', async () => {
      const products = (await request(t().app).get('/products').expect(200)).body as ProductBody[];
      expect(products.map((product) => product.sku)).to.include.members(['WIDGET-1', 'WIDGET-2', 'GADGET-1']);
      expect(products[0]).to.have.all.keys('sku', 'name', 'price', 'onHand', 'reserved', 'available');
    });
  });

  describe('POST /orders', () => {
    it('when the items are in stock, then it answers 201 with prices in cents and fires order.placed with the items', async () => {
      using captured = captureSignals(orderPlaced);
      const order = await place();
      expect(order).to.include({ status: 'placed', customerEmail, total: 2 * 1250 + 9999 });
      expect(order.paymentId).to.match(/^pay_/);
      expect(order.items).to.deep.equal([
        { sku: 'WIDGET-1', quantity: 2, unitPrice: 1250 },
        { sku: 'GADGET-1', quantity: 1, unitPrice: 9999 },
      ]);
      expect(captured.sent(orderPlaced)).to.deep.equal([
        { orderId: order.id, customerEmail, total: 12499, items: twoWidgetsAndAGadget.items },
      ]);
    });

    it('when an order is placed, then its stock is reserved and a confirmation email is sent', async () => {
      await place();
      expect(await stockOf('GADGET-1')).to.include({ onHand: 5, reserved: 1, available: 4 });
      const mail = (await request(t().app).get('/dev/mailbox').expect(200)).body as { to: string; subject: string }[];
      expect(mail.map((message) => message.subject)).to.deep.equal(['Order 1 confirmed']);
    });

    it('when a sku is unknown, then it answers 400 naming it and fires nothing', async () => {
      using captured = captureSignals(orderPlaced);
      const response = await request(t().app)
        .post('/orders')
        .send({ customerEmail, items: [{ sku: 'NOPE-9', quantity: 1 }] })
        .expect(400);
      expect(response.body).to.deep.equal({
        error: { code: 'validation_failed', message: 'Unknown sku', details: { unknownSkus: ['NOPE-9'] } },
      });
      expect(captured.sent(orderPlaced)).to.deep.equal([]);
    });

    for (const quantity of [0, -1, 1.5]) {
      it(`when a quantity is ${quantity}, then it answers 400 and reserves nothing`, async () => {
        await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'GADGET-1', quantity }] }).expect(400);
        expect(await stockOf('GADGET-1')).to.include({ reserved: 0 });
      });
    }

    it('when the stock is short, then it answers 409 conflict and fires nothing', async () => {
      using captured = captureSignals(orderPlaced);
      const response = await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'GADGET-1', quantity: 6 }] }).expect(409);
      expect((response.body as { error: { code: string } }).error.code).to.equal('conflict');
      expect(captured.sent(orderPlaced)).to.deep.equal([]);
    });

    it('when the same sku is listed twice, then the stock check adds the quantities up', async () => {
      const items = [{ sku: 'GADGET-1', quantity: 3 }, { sku: 'GADGET-1', quantity: 3 }];
      await request(t().app).post('/orders').send({ customerEmail, items }).expect(409);
    });

    it('when the items list is empty, then it answers 400', async () => {
      await request(t().app).post('/orders').send({ customerEmail, items: [] }).expect(400);
    });
  });

  describe('GET /orders/:id', () => {
    it('when the order exists, then it answers 200 with its items', async () => {
      const order = await place();
      const response = await request(t().app).get(`/orders/${order.id}`).expect(200);
      expect(response.body).to.deep.equal(order);
    });

    it('when there is no such order, then it answers 404', async () => {
      await request(t().app).get('/orders/42').expect(404);
    });
  });

  describe('POST /orders/:id/ship', () => {
    it('when the order is placed, then it answers 200 shipped, fires order.shipped and the next read is fresh', async () => {
      const order = await place();
      await request(t().app).get(`/orders/${order.id}`).expect(200);
      using captured = captureSignals(orderShipped);
      const response = await request(t().app).post(`/orders/${order.id}/ship`).send({ trackingNumber: 'TRK-1' }).expect(200);
      expect(response.body).to.include({ status: 'shipped', trackingNumber: 'TRK-1' });
      expect(captured.sent(orderShipped)).to.deep.equal([{ orderId: order.id, customerEmail, trackingNumber: 'TRK-1' }]);
      expect((await request(t().app).get(`/orders/${order.id}`).expect(200)).body).to.include({ status: 'shipped' });
    });

    it('when the order was canceled, then it answers 409 and fires nothing', async () => {
      const order = await place();
      await request(t().app).post(`/orders/${order.id}/cancel`).expect(200);
      using captured = captureSignals(orderShipped);
      await request(t().app).post(`/orders/${order.id}/ship`).send({ trackingNumber: 'TRK-1' }).expect(409);
      expect(captured.sent(orderShipped)).to.deep.equal([]);
    });

    it('when the tracking number is missing, then it answers 400', async () => {
      const order = await place();
      await request(t().app).post(`/orders/${order.id}/ship`).send({}).expect(400);
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('when the order is placed, then it answers 200 canceled and fires order.canceled with the items and the payment', async () => {
      const order = await place();
      using captured = captureSignals(orderCanceled);
      const response = await request(t().app).post(`/orders/${order.id}/cancel`).expect(200);
      expect(response.body).to.include({ status: 'canceled' });
      expect(captured.sent(orderCanceled)).to.deep.equal([
        { orderId: order.id, customerEmail, total: order.total, items: twoWidgetsAndAGadget.items, paymentId: order.paymentId },
      ]);
    });

    it('when the order is canceled, then the stock is released and the refund is in the audit trail', async () => {
      const order = await place();
      await request(t().app).get(`/orders/${order.id}`).expect(200);
      await request(t().app).post(`/orders/${order.id}/cancel`).expect(200);
      expect(await stockOf('GADGET-1')).to.include({ reserved: 0, available: 5 });
      expect((await request(t().app).get(`/orders/${order.id}`).expect(200)).body).to.include({ status: 'canceled' });
      const audit = (await request(t().app).get(`/audit-events?entity=order&entityId=${order.id}`).expect(200)).body as {
        signal: string;
        data: unknown;
      }[];
      expect(audit.map((event) => event.signal)).to.deep.equal(['order.placed', 'order.refunded', 'order.canceled']);
      expect(audit[1]?.data).to.deep.equal({ paymentId: order.paymentId, amount: order.total });
    });

    it('when the order was shipped, then it answers 409 and fires nothing', async () => {
      const order = await place();
      await request(t().app).post(`/orders/${order.id}/ship`).send({ trackingNumber: 'TRK-1' }).expect(200);
      using captured = captureSignals(orderCanceled);
      await request(t().app).post(`/orders/${order.id}/cancel`).expect(409);
      expect(captured.sent(orderCanceled)).to.deep.equal([]);
    });

    it('when there is no such order, then it answers 404', async () => {
      await request(t().app).post('/orders/42/cancel').expect(404);
    });
  });
});
