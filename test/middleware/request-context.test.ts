import { expect } from 'chai';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { createLogger } from '../../src/logger.js';
import { getRequestId, runWithRequestContext } from '../../src/middleware/request-context.js';
import { userCreated } from '../../src/services/user.signals.js';
import { MemoryTransport } from '../support/memory-transport.js';
import { useTestApp } from '../support/test-app.js';

/** POSTs JSON whose body arrives in two parts, `gapMs` apart, as from a slow client. */
async function postSlowly(server: Server, path: string, body: string, headers: Record<string, string>, gapMs: number) {
  const { port } = server.address() as AddressInfo;
  const length = Buffer.byteLength(body);
  const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': length } });
  const response = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  await delay(gapMs);
  req.end(body.slice(10));
  return response;
}

describe('request context', () => {
  const t = useTestApp();

  describe('X-Request-Id', () => {
    it('when the client sends a well-formed id, then the response echoes it', async () => {
      const response = await request(t().app).get('/health').set('X-Request-Id', 'abc-123_x.y:z').expect(200);
      expect(response.get('X-Request-Id')).to.equal('abc-123_x.y:z');
    });

    it('when the client sends none, then the response carries a generated UUID', async () => {
      const response = await request(t().app).get('/health').expect(200);
      expect(response.get('X-Request-Id')).to.match(/^[0-9a-f-]{36}$/);
    });

    const rejected: [string, string][] = [['too long', 'a'.repeat(129)], ['with spaces and quotes', 'a "b" c']];
    for (const [label, offered] of rejected) {
      it(`when the offered id is ${label}, then it is replaced by a generated one`, async () => {
        const response = await request(t().app).get('/health').set('X-Request-Id', offered).expect(200);
        expect(response.get('X-Request-Id')).to.match(/^[0-9a-f-]{36}$/);
      });
    }
  });

  describe('across the body parser', () => {
    it('when the body arrives slowly and a receiver throws, then the failure is still logged with the request id', async () => {
      userCreated.connect(function brokenReceiver() {
        throw new Error('boom');
      });
      const server = t().app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const body = JSON.stringify({ email: 'slow@example.com', name: 'Slow', password: 'correct horse' });
        const status = await postSlowly(server, '/users', body, { 'x-request-id': 'slow-1' }, 50);
        expect(status).to.equal(201);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      expect(t().logs.at('error')[0]).to.include({ receiver: 'brokenReceiver', requestId: 'slow-1' });
    });
  });

  describe('runWithRequestContext()', () => {
    it('when code runs inside it, then getRequestId() and every log line see the id, and outside they do not', async () => {
      const logs = new MemoryTransport();
      const logger = createLogger({ transports: [logs] });
      await runWithRequestContext({ requestId: 'job-7' }, async () => {
        await delay(1);
        expect(getRequestId()).to.equal('job-7');
        logger.info('inside');
      });
      logger.info('outside');
      expect(getRequestId()).to.equal(undefined);
      expect(logs.entries.map((entry) => entry.requestId)).to.deep.equal(['job-7', undefined]);
    });
  });
});
