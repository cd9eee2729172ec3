import { expect } from 'chai';
import request from 'supertest';
import { describeAppOnEachDatabase, type TestApp } from '../support/test-app.js';

interface ProductBody {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

interface AuditBody {
  signal: string;
  entityId: number;
}

type Line = { sku: string; quantity: number };

const customerEmail = 'ada@example.com';

/** How many responses had each status, e.g. `{ 201: 5, 409: 15 }`. */
function countStatuses(responses: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describeAppOnEachDatabase('concurrent writes', (t) => {
  const stockOf = async (app: TestApp, sku: string): Promise<ProductBody | undefined> => {
    const products = (await request(app.app).get('/products').expect(200)).body as ProductBody[];
    return products.find((product) => product.sku === sku);
  };
  const placeAll = async (orders: Line[][]) => {
    const server = await t().server();
    return Promise.all(orders.map((items) => request(server).post('/orders').send({ customerEmail, items })));
  };
  const auditOf = async (signal: string): Promise<AuditBody[]> => {
    const rows = (await request(t().app).get('/audit-events?entity=order').expect(200)).body as AuditBody[];
    return rows.filter((row) => row.signal === signal);
  };

  it('when 20 orders race for the 5 gadgets in stock, then exactly 5 are placed, 15 answer 409 and none is oversold', async () => {
    const responses = await placeAll(Array.from({ length: 20 }, () => [{ sku: 'GADGET-1', quantity: 1 }]));
    expect(countStatuses(responses)).to.deep.equal({ 201: 5, 409: 15 });
    expect(await stockOf(t(), 'GADGET-1')).to.include({ onHand: 5, reserved: 5, available: 0 });
  });

  it('when 40 orders take the same skus in opposite orders, then every order is placed and holds its stock', async () => {
    const forward = [{ sku: 'WIDGET-1', quantity: 1 }, { sku: 'WIDGET-2', quantity: 1 }];
    const orders = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? forward : [...forward].reverse()));
    const responses = await placeAll(orders);
    expect(countStatuses(responses)).to.deep.equal({ 201: 40 });
    expect(await stockOf(t(), 'WIDGET-1')).to.include({ reserved: 40 });
    expect(await stockOf(t(), 'WIDGET-2')).to.include({ reserved: 40 });
  });

  it('when ship and cancel of one order race, then exactly one wins, the other answers 409, and stock and refunds follow the winner', async () => {
    const server = await t().server();
    const rounds = 8;
    const placed = await placeAll(Array.from({ length: rounds }, () => [{ sku: 'WIDGET-2', quantity: 2 }]));
    let canceled = 0;
    for (const { body } of placed) {
      const id = (body as { id: number }).id;
      const [ship, cancel] = await Promise.all([
        request(server).post(`/orders/${id}/ship`).send({ trackingNumber: `TRK-${id}` }),
        request(server).post(`/orders/${id}/cancel`),
      ]);
      expect([ship.status, cancel.status].sort()).to.deep.equal([200, 409]);
      const final = (await request(server).get(`/orders/${id}`).expect(200)).body as { status: string };
      expect(final.status).to.equal(ship.status === 200 ? 'shipped' : 'canceled');
      if (cancel.status === 200) canceled += 1;
    }
    expect(await stockOf(t(), 'WIDGET-2')).to.include({ reserved: 2 * (rounds - canceled) });
    expect(await auditOf('order.refunded')).to.have.length(canceled);
  });

  it('when one order is canceled three times at once, then one cancel answers 200, two answer 409 and it is refunded once', async () => {
    const server = await t().server();
    const [placed] = await placeAll([[{ sku: 'WIDGET-1', quantity: 3 }]]);
    const id = (placed?.body as { id: number }).id;
    const responses = await Promise.all([1, 2, 3].map(() => request(server).post(`/orders/${id}/cancel`)));
    expect(countStatuses(responses)).to.deep.equal({ 200: 1, 409: 2 });
    expect(await stockOf(t(), 'WIDGET-1')).to.include({ reserved: 0, available: 100 });
    expect((await auditOf('order.refunded')).map((row) => row.entityId)).to.deep.equal([id]);
  });

  it('when three sign-ups use one mailbox in different cases, then one account is created and the others answer 409', async () => {
    const server = await t().server();
    const emails = ['a@example.com', 'A@example.com', ' A@EXAMPLE.COM '];
    const responses = await Promise.all(
      emails.map((email) => request(server).post('/users').send({ email, name: 'A', password: 'correct horse' })),
    );
    expect(countStatuses(responses)).to.deep.equal({ 201: 1, 409: 2 });
    const users = (await request(server).get('/users').expect(200)).body as { items: { email: string }[] };
    expect(users.items.map((user) => user.email)).to.deep.equal(['a@example.com']);
  });

  it('when a user changes their email to another account\'s in a different case, then it answers 409', async () => {
    const server = await t().server();
    await request(server).post('/users').send({ email: 'a@example.com', name: 'A', password: 'correct horse' }).expect(201);
    const b = await request(server).post('/users').send({ email: 'b@example.com', name: 'B', password: 'correct horse' }).expect(201);
    await request(server).patch(`/users/${(b.body as { id: number }).id}`).send({ email: 'A@Example.COM' }).expect(409);
  });
});
