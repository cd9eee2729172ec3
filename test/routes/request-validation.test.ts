import { expect } from 'chai';
import request from 'supertest';
import { useTestApp } from '../support/test-app.js';

const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };
const customerEmail = 'ada@example.com';
const ID_RULE = 'must be a whole number from 1 to 2147483647, in decimal without leading zeros';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

// What a client is told when its request does not pass validation: where, and why.
describe('request validation', () => {
  const t = useTestApp();

  const createAda = async (): Promise<number> => ((await request(t().app).post('/users').send(ada).expect(201)).body as { id: number }).id;
  const placeOrder = async (): Promise<number> =>
    ((await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'WIDGET-1', quantity: 1 }] }).expect(201)).body as { id: number })
      .id;

  describe('ids in the path', () => {
    const routes: [string, string, object?][] = [
      ['get', '/users/x'],
      ['patch', '/users/x', { name: 'B' }],
      ['delete', '/users/x'],
      ['post', '/users/x/password', { currentPassword: 'correct horse', newPassword: 'battery staple' }],
      ['get', '/orders/x'],
      ['post', '/orders/x/ship', { trackingNumber: 'TRK-1' }],
      ['post', '/orders/x/cancel'],
    ];
    for (const [method, path, body] of routes) {
      for (const [label, id] of [
        ['has a leading zero', '01'],
        ['is past the largest id', '2147483648'],
      ] as const) {
        it(`when the id of ${method.toUpperCase()} ${path} ${label}, then the 400 names params.id and the rule`, async () => {
          const call = request(t().app)[method as 'get'](path.replace('x', id));
          const response = await (body === undefined ? call : call.send(body)).expect(400);
          expect(response.body).to.deep.equal({
            error: { code: 'validation_failed', message: 'Invalid request params', details: [{ path: 'params.id', message: ID_RULE }] },
          } satisfies ErrorBody);
        });
      }
    }
  });

  describe('query strings', () => {
    it('when a page limit is 0, then the 400 names query.limit', async () => {
      const response = await request(t().app).get('/users?limit=0').expect(400);
      const { error } = response.body as ErrorBody;
      expect(error.message).to.equal('Invalid request query');
      expect(error.details?.map((detail) => detail.path)).to.deep.equal(['query.limit']);
    });

    it('when the audit entity is unknown, then the 400 names query.entity', async () => {
      const response = await request(t().app).get('/audit-events?entity=invoice').expect(400);
      const { error } = response.body as ErrorBody;
      expect(error.message).to.equal('Invalid request query');
      expect(error.details?.map((detail) => detail.path)).to.deep.equal(['query.entity']);
    });
  });

  describe('bodies', () => {
    it('when a field is null, then it answers 400 naming the field, not 500', async () => {
      const response = await request(t().app).post('/users').send({ ...ada, name: null }).expect(400);
      const { error } = response.body as ErrorBody;
      expect(error.message).to.equal('Invalid request body');
      expect(error.details?.map((detail) => detail.path)).to.deep.equal(['body.name']);
    });

    it('when several strings hold a NUL, then the details list them in the order of the body', async () => {
      const response = await request(t().app)
        .post('/users')
        .send({ email: 'ada@example.com', name: 'A\u0000', password: 'correct\u0000horse' })
        .expect(400);
      expect((response.body as ErrorBody).error).to.deep.equal({
        code: 'validation_failed',
        message: 'Invalid request body',
        details: [
          { path: 'body.name', message: 'must not contain NUL characters' },
          { path: 'body.password', message: 'must not contain NUL characters' },
        ],
      });
    });

    it('when a nested string holds a NUL, then its path goes down to it', async () => {
      const response = await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'A\u0000', quantity: 1 }] }).expect(400);
      expect((response.body as ErrorBody).error.details).to.deep.equal([{ path: 'body.items.0.sku', message: 'must not contain NUL characters' }]);
    });

    it('when the new password is the current one, then the 400 says it must differ, at body.newPassword', async () => {
      const id = await createAda();
      const response = await request(t().app).post(`/users/${id}/password`).send({ currentPassword: ada.password, newPassword: ada.password }).expect(400);
      expect((response.body as ErrorBody).error.details).to.deep.equal([{ path: 'body.newPassword', message: 'must differ from currentPassword' }]);
    });

    it('when a PATCH names no field, then the 400 says which fields it may name', async () => {
      const id = await createAda();
      const response = await request(t().app).patch(`/users/${id}`).send({}).expect(400);
      expect((response.body as ErrorBody).error.details).to.deep.equal([{ path: 'body', message: 'must name at least one of: email, name' }]);
    });
  });

  describe('user names', () => {
    for (const [label, body] of [
      ['blank', { ...ada, name: '   ' }],
      ['longer than 100 characters', { ...ada, name: 'n'.repeat(101) }],
    ] as const) {
      it(`when a new user's name is ${label}, then it answers 400 naming body.name`, async () => {
        const response = await request(t().app).post('/users').send(body).expect(400);
        expect((response.body as ErrorBody).error.details?.map((detail) => detail.path)).to.deep.equal(['body.name']);
      });

      it(`when a name is changed to ${label}, then it answers 400 naming body.name`, async () => {
        const id = await createAda();
        const response = await request(t().app).patch(`/users/${id}`).send({ name: body.name }).expect(400);
        expect((response.body as ErrorBody).error.details?.map((detail) => detail.path)).to.deep.equal(['body.name']);
      });
    }

    it('when a name comes with spaces around it, then it is stored trimmed, on create and on change', async () => {
      const created = (await request(t().app).post('/users').send({ ...ada, name: '  Ada  ' }).expect(201)).body as { id: number; name: string };
      expect(created.name).to.equal('Ada');
      const changed = (await request(t().app).patch(`/users/${created.id}`).send({ name: ' Ada L ' }).expect(200)).body as { name: string };
      expect(changed.name).to.equal('Ada L');
    });
  });

  describe('tracking numbers', () => {
    for (const [label, trackingNumber] of [
      ['blank', '   '],
      ['longer than 100 characters', 'T'.repeat(101)],
    ] as const) {
      it(`when the tracking number is ${label}, then it answers 400 and the order stays placed`, async () => {
        const id = await placeOrder();
        const response = await request(t().app).post(`/orders/${id}/ship`).send({ trackingNumber }).expect(400);
        expect((response.body as ErrorBody).error.details?.map((detail) => detail.path)).to.deep.equal(['body.trackingNumber']);
        expect((await request(t().app).get(`/orders/${id}`).expect(200)).body).to.include({ status: 'placed' });
      });
    }

    it('when the tracking number comes with spaces around it, then it is stored trimmed', async () => {
      const id = await placeOrder();
      const response = await request(t().app).post(`/orders/${id}/ship`).send({ trackingNumber: ' TRK-1 ' }).expect(200);
      expect(response.body).to.include({ trackingNumber: 'TRK-1' });
    });
  });
});
