import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { traceRequests } from '../../src/middleware/trace-requests.js';
import { useSpanRecorder } from '../support/span-recorder.js';
import { useTestApp } from '../support/test-app.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN_ID = 'b7ad6b7169203331';

function smallApp(): express.Express {
  const app = express();
  app.set('env', 'test'); // Express's own 500 handler then prints no stack
  app.use(traceRequests);
  const users = express.Router();
  users.get('/:id', (_req, res) => void res.json({ ok: true }));
  app.use('/users', users);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  return app;
}

describe('traceRequests', () => {
  const recorder = useSpanRecorder();

  it('when a request carries a traceparent, then its SERVER span continues that trace, named after the route', async () => {
    await request(smallApp()).get('/users/7').set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`).expect(200);

    const [span] = recorder.spans();
    expect(span?.name).to.equal('GET /users/:id');
    expect(span?.kind).to.equal(SpanKind.SERVER);
    expect(span?.spanContext().traceId).to.equal(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).to.equal(CALLER_SPAN_ID);
    expect(span?.attributes).to.deep.equal({
      'http.request.method': 'GET',
      'url.path': '/users/7',
      'url.scheme': 'http',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
    });
    expect(span?.status.code).to.equal(SpanStatusCode.UNSET);
  });

  it('when a handler throws, then the span has ERROR status and the 500; when no route matches, then it is named by the method alone', async () => {
    await request(smallApp()).get('/boom').expect(500);
    await request(smallApp()).get('/nowhere').expect(404);

    const [failed, missing] = recorder.spans();
    expect(failed?.status.code).to.equal(SpanStatusCode.ERROR);
    expect(failed?.attributes).to.include({ 'http.response.status_code': 500, 'error.type': '500' });
    expect(missing?.name).to.equal('GET');
    expect(missing?.attributes).to.include({ 'http.response.status_code': 404 });
    expect(missing?.status.code).to.equal(SpanStatusCode.UNSET);
  });

  describe('in the app, on the memory backend', () => {
    const t = useTestApp();

    it('when a route answers with an error (404, 400, 409), then its span is still named after the route', async () => {
      await request(t().app).get('/users/999').expect(404);
      await request(t().app).get('/orders/999').expect(404);
      await request(t().app).patch('/users/1').send({ bogus: 1 }).expect(400);
      await request(t().app).post('/orders/999/cancel').expect(404);

      expect(recorder.spans().map((span) => [span.name, span.attributes['http.route']])).to.deep.equal([
        ['GET /users/:id', '/users/:id'],
        ['GET /orders/:id', '/orders/:id'],
        ['PATCH /users/:id', '/users/:id'],
        ['POST /orders/:id/cancel', '/orders/:id/cancel'],
      ]);
    });

    it('when POST /users creates a user, then send user.created is a child of the request span and its receivers children of the send', async () => {
      await request(t().app).post('/users').send({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' }).expect(201);

      const [server] = recorder.named('POST /users');
      const [send] = recorder.named('send user.created');
      const processed = recorder.named('process user.created');
      expect(send?.parentSpanContext?.spanId).to.equal(server?.spanContext().spanId);
      expect(processed.map((span) => span.attributes['signal.receiver'])).to.include.members(['sendWelcomeEmail', 'auditUserCreated']);
      for (const span of processed) expect(span.parentSpanContext?.spanId).to.equal(send?.spanContext().spanId);
      expect(new Set(recorder.spans().map((span) => span.spanContext().traceId))).to.have.lengthOf(1);
    });
  });
});
