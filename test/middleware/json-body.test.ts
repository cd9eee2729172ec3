import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { useTestApp } from '../support/test-app.js';

const customerEmail = 'ada@example.com';

describe('jsonBody()', () => {
  const t = useTestApp();

  /** Sends exactly these headers and no body, as curl -X POST -H 'Content-Length: 0' would. */
  const postEmpty = async (path: string, headers: Record<string, string>): Promise<number> => {
    const { port } = (await t().server()).address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  };

  const placeOrder = async (): Promise<number> =>
    ((await request(t().app).post('/orders').send({ customerEmail, items: [{ sku: 'WIDGET-1', quantity: 1 }] }).expect(201)).body as { id: number })
      .id;

  it('when a body comes as another media type, then the 415 says it must be JSON', async () => {
    const response = await request(t().app).post('/users').set('content-type', 'text/plain').send('{}').expect(415);
    expect(response.body).to.deep.equal({
      error: { code: 'unsupported_media_type', message: 'The request body must be application/json' },
    });
  });

  it('when a body is a JSON flavour (application/merge-patch+json), then it is read as JSON', async () => {
    const { id } = (await request(t().app).post('/users').send({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' }).expect(201))
      .body as { id: number };
    const response = await request(t().app)
      .patch(`/users/${id}`)
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: 'Ada L' }))
      .expect(200);
    expect(response.body).to.include({ name: 'Ada L' });
  });

  it('when a POST says Content-Length: 0 and names no media type, then it needs none', async () => {
    const id = await placeOrder();
    expect(await postEmpty(`/orders/${id}/cancel`, { 'content-length': '0' })).to.equal(200);
  });

  it('when a POST with a body names no media type, then it answers 415', async () => {
    const id = await placeOrder();
    const { port } = (await t().server()).address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/orders/${id}/cancel`, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(response.status).to.equal(415);
  });
});
