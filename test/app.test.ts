import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import { useTestApp } from './support/test-app.js';

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
});
