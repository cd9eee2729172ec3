import { expect } from 'chai';
import request from 'supertest';
import { describeAppOnEachDatabase, useTestApp } from '../support/test-app.js';

const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };
const twoGadgets = { customerEmail: ada.email, items: [{ sku: 'GADGET-1', quantity: 2 }] };

describeAppOnEachDatabase('POST /dev/reset', (t) => {
  /** A user, an order (stock reserved), mail, audit rows and a cached read of the user. */
  async function useTheApp(): Promise<void> {
    await request(t().app).post('/users').send(ada).expect(201);
    await request(t().app).post('/orders').send(twoGadgets).expect(201);
    await request(t().app).get('/users/1').expect(200);
  }

  it('when the app was used, then it answers 204 and the data is what a fresh start has', async () => {
    await useTheApp();
    const response = await request(t().app).post('/dev/reset').expect(204);
    expect(response.text).to.equal('');
    expect((await request(t().app).get('/users').expect(200)).body).to.deep.equal({ items: [], total: 0 });
    await request(t().app).get('/users/1').expect(404);
    await request(t().app).get('/orders/1').expect(404);
    expect((await request(t().app).get('/audit-events?entity=user&entityId=1').expect(200)).body).to.deep.equal([]);
    expect((await request(t().app).get('/dev/mailbox').expect(200)).body).to.deep.equal([]);
    const products = (await request(t().app).get('/products').expect(200)).body as { sku: string; available: number }[];
    expect(products.map(({ sku, available }) => `${sku} ${available}`).sort()).to.deep.equal(['GADGET-1 5', 'WIDGET-1 100', 'WIDGET-2 50']);
  });

  it('when the same requests run after a reset, then the ids start from 1 again', async () => {
    await useTheApp();
    await request(t().app).post('/dev/reset').expect(204);
    const user = (await request(t().app).post('/users').send(ada).expect(201)).body as { id: number };
    const order = (await request(t().app).post('/orders').send(twoGadgets).expect(201)).body as { id: number };
    expect([user.id, order.id]).to.deep.equal([1, 1]);
  });
});

describe('POST /dev/reset where there is no dev mailbox', () => {
  for (const [where, env] of [
    ['in production', { NODE_ENV: 'production' }],
    ['on a broker backend', { SIGNALS_BACKEND: 'redis' }],
  ] as const) {
    describe(where, () => {
      const t = useTestApp(env);

      it('when it is asked for, then it answers 404 and the data stays', async () => {
        await request(t().app).post('/users').send(ada).expect(201);
        await request(t().app).post('/dev/reset').expect(404);
        expect(((await request(t().app).get('/users').expect(200)).body as { total: number }).total).to.equal(1);
      });
    });
  }
});
