import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import request from 'supertest';
import { describeAppOnEachDatabase } from '../support/test-app.js';

const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };
const customerEmail = 'ada@example.com';

describeAppOnEachDatabase('input edges', (t) => {
  const createAda = async (): Promise<number> =>
    ((await request(t().app).post('/users').send(ada).expect(201)).body as { id: number }).id;
  /** Posts `body` byte for byte (supertest would serialize a Buffer as JSON). */
  const postRaw = async (path: string, body: Buffer, headers: Record<string, string> = {}) => {
    const { port } = (await t().server()).address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) };
  };
  const placeOrder = async (): Promise<number> =>
    ((await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'WIDGET-1', quantity: 1 }] }).expect(201))
      .body as { id: number }).id;

  describe('NUL characters', () => {
    it('when a user name holds a NUL, then it answers 400 naming the field and writes nothing', async () => {
      const response = await request(t().app).post('/users').send({ ...ada, name: 'a\u0000b' }).expect(400);
      expect(response.body).to.have.nested.property('error.code', 'validation_failed');
      expect((response.body as { error: { details: unknown[] } }).error.details).to.deep.include({ path: 'body.name', message: 'must not contain NUL characters' });
      expect((await request(t().app).get('/users').expect(200)).body).to.deep.include({ total: 0 });
    });

    it('when a sku or a tracking number holds a NUL, then it answers 400', async () => {
      await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'WIDGET-1\u0000', quantity: 1 }] }).expect(400);
      const id = await placeOrder();
      await request(t().app).post(`/orders/${id}/ship`).send({ trackingNumber: 'T\u0000' }).expect(400);
    });

    it('when a string holds an unpaired surrogate, then it answers 400 rather than storing U+FFFD', async () => {
      const body = JSON.stringify(ada).replace('"Ada"', '"\\ud800"');
      const response = await request(t().app).post('/users').set('content-type', 'application/json').send(body).expect(400);
      expect((response.body as { error: { details: unknown[] } }).error.details).to.deep.include({
        path: 'body.name',
        message: 'must be valid Unicode (no unpaired surrogates)',
      });
    });

    it('when a query parameter holds a NUL, then it answers 400', async () => {
      await request(t().app).get('/audit-events?entity=user%00').expect(400);
    });
  });

  describe('ids', () => {
    for (const id of ['2147483648', '99999999999999999999', '1e0', '0x1', '+1', '01', '0', '-1', '1.0', ' 1']) {
      it(`when the id is "${id}", then every route with an id answers 400`, async () => {
        await createAda();
        const path = encodeURIComponent(id);
        await request(t().app).get(`/users/${path}`).expect(400);
        await request(t().app).patch(`/users/${path}`).send({ name: 'B' }).expect(400);
        await request(t().app).delete(`/users/${path}`).expect(400);
        await request(t().app).get(`/orders/${path}`).expect(400);
        await request(t().app).post(`/orders/${path}/cancel`).expect(400);
        await request(t().app).get(`/audit-events?entityId=${path}`).expect(400);
      });
    }

    it('when the id is the largest the database holds and there is no such row, then it answers 404', async () => {
      await request(t().app).get('/users/2147483647').expect(404);
      await request(t().app).get('/orders/2147483647').expect(404);
      expect((await request(t().app).get('/audit-events?entityId=2147483647').expect(200)).body).to.deep.equal([]);
    });
  });

  it('when a path has bad percent-encoding, then it answers 400', async () => {
    const response = await request(t().app).get('/users/%').expect(400);
    expect(response.body).to.have.nested.property('error.code', 'validation_failed');
    await request(t().app).get('/orders/%E0%A4%A').expect(400);
  });

  it('when a PATCH names no field, then it answers 400, changes nothing and records nothing', async () => {
    const id = await createAda();
    await request(t().app).patch(`/users/${id}`).send({}).expect(400);
    const audit = (await request(t().app).get(`/audit-events?entity=user&entityId=${id}`).expect(200)).body as { signal: string }[];
    expect(audit.map((row) => row.signal)).to.deep.equal(['user.created']);
  });

  it('when a PATCH changes nothing, then it answers 200, writes nothing and records no update', async () => {
    const id = await createAda();
    const before = (await request(t().app).get(`/users/${id}`).expect(200)).body as { updatedAt: string };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = (await request(t().app).patch(`/users/${id}`).send({ name: 'Ada', email: 'ADA@example.com' }).expect(200))
      .body as { updatedAt: string };
    expect(after.updatedAt).to.equal(before.updatedAt);
    const audit = (await request(t().app).get(`/audit-events?entity=user&entityId=${id}`).expect(200)).body as { signal: string }[];
    expect(audit.map((row) => row.signal)).to.deep.equal(['user.created']);
  });

  describe('methods', () => {
    for (const [method, path, allow] of [
      ['put', '/users', 'GET, HEAD, POST'],
      ['delete', '/users', 'GET, HEAD, POST'],
      ['put', '/users/1', 'DELETE, GET, HEAD, PATCH'],
      ['post', '/users/1', 'DELETE, GET, HEAD, PATCH'],
      ['get', '/orders/1/ship', 'POST'],
      ['delete', '/products', 'GET, HEAD'],
      ['post', '/audit-events', 'GET, HEAD'],
    ] as const) {
      it(`when ${method.toUpperCase()} ${path} is asked for, then it answers 405 with Allow: ${allow}`, async () => {
        const response = await request(t().app)[method](path).expect(405);
        expect(response.headers.allow).to.equal(allow);
        expect(response.body).to.have.nested.property('error.code', 'method_not_allowed');
      });
    }

    it('when OPTIONS is asked for a known path, then it answers 204 with Allow', async () => {
      const response = await request(t().app).options('/users').expect(204);
      expect(response.headers.allow).to.equal('GET, HEAD, POST');
    });
  });

  describe('media types', () => {
    it('when the body is not JSON by its content type, then it answers 415', async () => {
      const response = await request(t().app).post('/users').set('content-type', 'text/plain').send('{}').expect(415);
      expect(response.body).to.have.nested.property('error.code', 'unsupported_media_type');
    });

    it('when the charset is not UTF-8, then it answers 415', async () => {
      await request(t().app)
        .post('/users')
        .set('content-type', 'application/json; charset=latin1')
        .send(JSON.stringify(ada))
        .expect(415);
    });

    it('when the content encoding is unknown, then it answers 415', async () => {
      await request(t().app)
        .post('/users')
        .set('content-type', 'application/json')
        .set('content-encoding', 'x-unknown')
        .send(JSON.stringify(ada))
        .expect(415);
    });

    it('when the body is not valid UTF-8, then it answers 400 and stores nothing', async () => {
      const body = Buffer.concat([Buffer.from('{"email":"u@example.com","name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","password":"correct horse"}')]);
      const response = await postRaw('/users', body);
      expect(response).to.deep.equal({ status: 400, body: { error: { code: 'validation_failed', message: 'The request body is not valid UTF-8' } } });
      expect((await request(t().app).get('/users').expect(200)).body).to.deep.include({ total: 0 });
    });

    it('when a gzip body does not decompress, then it answers 400 and logs no error', async () => {
      const response = await postRaw('/users', Buffer.from(JSON.stringify(ada)), { 'content-encoding': 'gzip' });
      expect(response.status).to.equal(400);
      expect(t().logs.at('error')).to.deep.equal([]);
    });

    it('when a gzip body holds JSON, then it is read', async () => {
      const response = await postRaw('/users', gzipSync(JSON.stringify(ada)), { 'content-encoding': 'gzip' });
      expect(response.status).to.equal(201);
    });

    it('when a POST has no body and needs none, then no content type is required', async () => {
      const id = await placeOrder();
      await request(t().app).post(`/orders/${id}/cancel`).expect(200);
    });
  });
});
