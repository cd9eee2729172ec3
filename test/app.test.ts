import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import { ServiceUnavailableError } from '../src/errors.js';
import { useTestApp, type TestApp } from './support/test-app.js';

describe('createApp()', () => {
  describe('in development', () => {
    const t = useTestApp();

    it('when a route is unknown, then it answers 404 JSON', async () => {
      const response = await request(t().app).get('/nowhere').expect(404);
      expect(response.body).to.deep.equal({ error: { code: 'not_found', message: 'No route for GET /nowhere' } });
    });

    it('when any response goes out, then it carries helmet headers and no X-Powered-By', async () => {
      const response = await request(t().app).get('/health').expect(200);
      expect(response.get('X-Content-Type-Options')).to.equal('nosniff');
      expect(response.get('X-Powered-By')).to.equal(undefined);
    });

    it('when the database answers, then /health and /ready answer 200', async () => {
      await request(t().app).get('/health').expect(200, { status: 'ok' });
      await request(t().app).get('/ready').expect(200, { status: 'ready' });
    });

    it('when the database is gone, then /ready answers 503 and /health still 200', async () => {
      await t().container.connection.db.destroy();
      await request(t().app).get('/ready').expect(503, { status: 'unavailable' });
      await request(t().app).get('/health').expect(200);
    });

    it('when a service fails unexpectedly, then it answers a generic 500 and logs the error with its stack', async () => {
      sinon.stub(t().container.users, 'list').rejects(new Error('SQLITE_ERROR: no such column: secret_sql'));
      const response = await request(t().app).get('/users').set('X-Request-Id', 'req-500').expect(500);
      expect(response.body).to.deep.equal({ error: { code: 'internal', message: 'Something went wrong' } });
      expect(response.text).not.to.contain('secret_sql');
      const [logged] = t().logs.at('error');
      expect(logged).to.include({ message: 'Unhandled error', requestId: 'req-500' });
      expect(JSON.stringify(logged)).to.contain('secret_sql');
    });

    it('when the database is unavailable, then it answers 503 with Retry-After and logs a warning, not an error', async () => {
      const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      sinon.stub(t().container.users, 'list').rejects(new ServiceUnavailableError('The database is unavailable', { cause }));
      const response = await request(t().app).get('/users').expect(503);
      expect(response.body).to.deep.equal({ error: { code: 'service_unavailable', message: 'The database is unavailable' } });
      expect(response.get('Retry-After')).to.equal('1');
      expect(t().logs.at('error')).to.deep.equal([]);
      expect(t().logs.at('warn').map((entry) => entry.errorMessage)).to.deep.equal([cause.message]);
    });

    it('when a client aborts its upload, then it is logged at info and not as an unhandled error', async () => {
      const { port } = (await t().server()).address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email"');
      await delay(50);
      socket.destroy();
      for (let i = 0; i < 40 && t().logs.at('info').length === 0; i += 1) await delay(25);
      expect(t().logs.at('error')).to.deep.equal([]);
      expect(t().logs.at('info').map((entry) => entry.message)).to.include('The client closed the request before it was read');
    });

    it('when the dev mailbox is asked for, then it lists the mail sent', async () => {
      await request(t().app).get('/dev/mailbox').expect(200, []);
    });
  });

  describe('in production', () => {
    const t = useTestApp({ NODE_ENV: 'production' });

    it('when the dev mailbox is asked for, then it answers 404', async () => {
      await request(t().app).get('/dev/mailbox').expect(404);
    });
  });

  describe('configured for a broker backend (its listeners run in a worker)', () => {
    const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };

    /** Creates a user, reads it once, renames it behind the app's back and reads it again. */
    async function nameReadAfterOutsideChange(app: TestApp['app'], container: TestApp['container']): Promise<string> {
      const { id } = (await request(app).post('/users').send(ada).expect(201)).body as { id: number };
      await request(app).get(`/users/${id}`).expect(200);
      await container.connection.db.updateTable('users').set({ name: 'Changed elsewhere' }).where('id', '=', id).execute();
      return ((await request(app).get(`/users/${id}`).expect(200)).body as { name: string }).name;
    }

    describe('memory, for comparison', () => {
      const t = useTestApp();

      it('when a row changes without a signal here, then the cached read is served', async () => {
        expect(await nameReadAfterOutsideChange(t().app, t().container)).to.equal('Ada');
      });
    });

    describe('redis', () => {
      const t = useTestApp({ SIGNALS_BACKEND: 'redis' });

      it('when a row changes (as a worker would change it), then the next read sees it: no read cache', async () => {
        expect(await nameReadAfterOutsideChange(t().app, t().container)).to.equal('Changed elsewhere');
      });

      it('when /dev/mailbox is asked for, then it is not there: mail is sent by the worker', async () => {
        await request(t().app).get('/dev/mailbox').expect(404);
      });
    });
  });
});
