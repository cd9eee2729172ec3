import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import express from 'express';
import sinon from 'sinon';
import request from 'supertest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { errorHandler } from '../../src/middleware/error-handler.js';
import { MemoryTransport } from '../support/memory-transport.js';
import { useTestApp } from '../support/test-app.js';

const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };

/** A bare Express app whose one route fails with `fail`, answered by the app's error handler. */
function appFailingWith(fail: (res: express.Response) => void): { app: express.Express; logs: MemoryTransport } {
  const logs = new MemoryTransport();
  const app = express();
  app.set('env', 'test'); // Express's own last-resort handler stays quiet
  app.post('/upload', (_req, res) => fail(res));
  app.use(errorHandler(createLogger({ level: 'debug', transports: [logs] })));
  return { app, logs };
}

describe('errorHandler()', () => {
  describe('errors of the HTTP layer, through the app', () => {
    const t = useTestApp();

    it('when the body is not valid JSON, then the 400 says so', async () => {
      const response = await request(t().app).post('/users').set('content-type', 'application/json').send('{"email":').expect(400);
      expect(response.body).to.deep.equal({ error: { code: 'validation_failed', message: 'The request body is not valid JSON' } });
    });

    it('when the charset is not UTF-8, then the 415 asks for UTF-8', async () => {
      const response = await request(t().app)
        .post('/users')
        .set('content-type', 'application/json; charset=latin1')
        .send(JSON.stringify(ada))
        .expect(415);
      expect(response.body).to.deep.equal({
        error: { code: 'unsupported_media_type', message: 'The request body charset is not supported; send UTF-8' },
      });
    });

    it('when the content encoding is unknown, then the 415 names the encodings it reads', async () => {
      const response = await request(t().app)
        .post('/users')
        .set('content-type', 'application/json')
        .set('content-encoding', 'x-unknown')
        .send(JSON.stringify(ada))
        .expect(415);
      expect(response.body).to.deep.equal({
        error: {
          code: 'unsupported_media_type',
          message: 'The request body content encoding is not supported; send identity, gzip, deflate or br',
        },
      });
    });

    it('when the path is not valid percent-encoding, then the 400 says so', async () => {
      const response = await request(t().app).get('/users/%E0%A4%A').expect(400);
      expect(response.body).to.deep.equal({
        error: { code: 'validation_failed', message: 'The request path is not valid percent-encoding' },
      });
    });

    it('when a gzip body does not decompress, then the 400 says the body could not be read', async () => {
      const response = await request(t().app)
        .post('/users')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .send(gzipSync(JSON.stringify(ada)).subarray(0, 20))
        .expect(400);
      expect(response.body).to.deep.equal({ error: { code: 'validation_failed', message: 'The request body could not be read' } });
    });

    it('when a dependency fails with a client error it marks as exposable, then that status answers with code bad_request', async () => {
      sinon.stub(t().container.users, 'list').rejects(Object.assign(new Error('Gone'), { status: 410, expose: true }));
      const response = await request(t().app).get('/users').expect(410);
      expect(response.body).to.deep.equal({ error: { code: 'bad_request', message: 'The request body could not be read' } });
    });

    const generic: [string, object][] = [
      ['a 500 marked exposable', { status: 500, expose: true }],
      ['a 399 marked exposable', { status: 399, expose: true }],
      ['a status given as text', { status: '400', expose: true }],
      ['a 400 not marked exposable', { status: 400, expose: false }],
    ];
    for (const [label, fields] of generic) {
      it(`when a dependency fails with ${label}, then it answers the generic 500 and logs the error`, async () => {
        sinon.stub(t().container.users, 'list').rejects(Object.assign(new Error('upstream said no'), fields));
        const response = await request(t().app).get('/users').expect(500);
        expect(response.body).to.deep.equal({ error: { code: 'internal', message: 'Something went wrong' } });
        expect(t().logs.at('error').map((entry) => entry.errorMessage)).to.deep.equal(['upstream said no']);
      });
    }

    it('when the database is unavailable, then the warning line names the 503 and its cause', async () => {
      const cause = new Error('connect ECONNREFUSED 127.0.0.1:5432');
      sinon.stub(t().container.users, 'list').rejects(new ServiceUnavailableError('The database is unavailable', { cause }, 7));
      const response = await request(t().app).get('/users').expect(503);
      expect(response.get('Retry-After')).to.equal('7');
      const [warning, ...others] = t().logs.at('warn');
      expect(others).to.deep.equal([]);
      expect(warning).to.include({ message: 'Answered 503: The database is unavailable', errorMessage: cause.message });
    });

    it('when an error is not a 503, then there is no Retry-After and nothing is logged', async () => {
      const response = await request(t().app).get('/users/999').expect(404);
      expect(response.get('Retry-After')).to.equal(undefined);
      expect(t().logs.entries.filter((entry) => entry.level !== 'http')).to.deep.equal([]);
    });
  });

  describe('on its own', () => {
    it('when the client went away mid-upload, then it answers 400 with no body and logs the method and path at info', async () => {
      const { app, logs } = appFailingWith(() => {
        throw Object.assign(new Error('request aborted'), { type: 'request.aborted' });
      });
      const response = await request(app).post('/upload').expect(400);
      expect(response.text).to.equal('');
      expect(logs.entries).to.have.length(1);
      expect(logs.entries[0]).to.include({
        level: 'info',
        message: 'The client closed the request before it was read',
        method: 'POST',
        path: '/upload',
      });
    });

    it('when the response had already started, then it leaves the error to Express, which cuts the response short', async () => {
      const { app, logs } = appFailingWith((res) => {
        res.status(200).write('{"items":[');
        throw new Error('failed while streaming');
      });
      const outcome = await request(app)
        .post('/upload')
        .then((response) => `answered ${response.status}`)
        .catch((error: unknown) => (error as Error).message);
      expect(outcome).to.match(/aborted|socket hang up|ECONNRESET/i);
      expect(logs.entries).to.deep.equal([]);
    });
  });
});
