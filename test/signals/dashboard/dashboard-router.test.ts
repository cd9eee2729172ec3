import { expect } from 'chai';
import express, { type Express } from 'express';
import request from 'supertest';
import { signalsDashboard, SignalStats, type DashboardState, type SignalsDashboardOptions } from '../../../src/signals/dashboard/index.js';
import { InProcessBackend, Signal } from '../../../src/signals/index.js';
import { useBrokerFixture } from '../brokers/support/broker-fixture.js';
import { redisBroker } from '../brokers/support/brokers.js';
import { MemoryLogger, waitFor } from '../brokers/support/waiting.js';

const TOKEN = 'a-token-of-sixteen-or-more';

function mount(options: Partial<SignalsDashboardOptions> & { signals: SignalsDashboardOptions['signals'] }): Express {
  const app = express();
  app.use('/signals', signalsDashboard(options));
  return app;
}

describe('signalsDashboard()', () => {
  describe('on the in-process backend', () => {
    const userCreated = new Signal<{ id: number }>('user.created');
    const stats = new SignalStats();
    const backend = new InProcessBackend({ logger: new MemoryLogger(), onSent: stats.onSent, onReceiverSettled: stats.onReceiverSettled });
    backend.connect(userCreated, function sendWelcomeEmail() {});
    backend.connect(userCreated, function audit() {
      throw new Error('audit table locked');
    });
    const app = mount({ signals: [userCreated], backend: () => backend, stats, description: 'memory' });

    before(async () => {
      await backend.send(userCreated, { id: 1 });
    });

    it('when the page is asked without its trailing slash, then it redirects there, keeping the query', async () => {
      await request(app).get('/signals?x=1').expect(301).expect('Location', '/signals/?x=1');
      const page = await request(app).get('/signals/').expect(200).expect('Content-Type', /html/);
      expect(page.text).to.contain('<script src="app.js"></script>');
      await request(app).get('/signals/app.js').expect(200).expect('Content-Type', /javascript/);
    });

    it('when the state is asked, then it lists the wiring in connection order and what this process saw', async () => {
      const state = (await request(app).get('/signals/api/state').expect(200)).body as DashboardState;
      expect(state).to.include({ kind: 'in-process', description: 'memory', readOnly: false });
      expect(state.signals).to.deep.equal([{ signal: 'user.created', receivers: [{ name: 'sendWelcomeEmail' }, { name: 'audit' }] }]);
      expect(state.stats?.sent['user.created']).to.include({ total: 1, refused: 0 });
      expect(state.stats?.receivers.map(({ receiver, runs, failures }) => ({ receiver, runs, failures }))).to.deep.equal([
        { receiver: 'sendWelcomeEmail', runs: 1, failures: 0 },
        { receiver: 'audit', runs: 1, failures: 1 },
      ]);
      expect(state.stats?.failures[0]).to.include({ receiver: 'audit', error: 'Error: audit table locked', count: 1, lastOutcome: 'failure' });
      expect(state.deadLetters).to.equal(undefined);
    });

    it('when dead letters are asked for, then it answers 409: in-process there are none', async () => {
      const refused = await request(app).get('/signals/api/dead-letters').expect(409);
      expect((refused.body as { error: string }).error).to.contain('broker backend only');
    });

    it('when an unknown API path is asked, then it answers 404 as JSON', async () => {
      await request(app).get('/signals/api/nothing').expect(404, { error: 'No such dashboard API' });
    });
  });

  describe('with a token', () => {
    const app = mount({ signals: [], backend: () => new InProcessBackend(), token: TOKEN });

    it('when the API is called without the token or with another, then it answers 401 and asks for a Bearer token', async () => {
      await request(app).get('/signals/api/state').expect(401).expect('WWW-Authenticate', /Bearer/);
      await request(app).get('/signals/api/state').set('Authorization', 'Bearer not-the-token').expect(401, { error: 'The signals dashboard needs its token' });
    });

    it('when the API is called with the token, then it answers, whatever the case of the Bearer scheme', async () => {
      await request(app).get('/signals/api/state').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      await request(app).get('/signals/api/state').set('Authorization', `bearer ${TOKEN}`).expect(200);
    });

    it('when the page itself is asked, then it is served without the token: it holds no data and asks for it', async () => {
      const page = await request(app).get('/signals/').expect(200);
      expect(page.text).to.contain('Dashboard token');
    });
  });

  describe('on Redis', function () {
    this.timeout(20_000);
    const fixture = useBrokerFixture(redisBroker);

    async function withDeadLetter(options: Partial<SignalsDashboardOptions> = {}): Promise<Express> {
      const backend = fixture.backend({ consume: true, maxAttempts: 1 });
      backend.connect(fixture.signal, function sendWelcomeEmail() {
        throw new Error('SMTP timeout');
      });
      await backend.whenConsuming();
      await backend.send(fixture.signal, { n: 1 });
      await waitFor('the dead letter', async () => (await backend.deadLetterCount()) === 1);
      return mount({ signals: [fixture.signal], backend: () => backend, ...options });
    }

    it('when the state is asked, then it shows the backlog, the dead-letter count and where they are', async () => {
      const app = await withDeadLetter();
      const state = (await request(app).get('/signals/api/state').expect(200)).body as DashboardState;
      expect(state.kind).to.equal('broker');
      expect(state.signals[0]?.receivers).to.deep.equal([{ name: 'sendWelcomeEmail', waiting: 0, inProgress: 0 }]);
      expect(state.deadLetters?.count).to.equal(1);
      expect(state.deadLetters?.destination).to.contain('dead-letters');
      expect(state.problem).to.equal(undefined);
    });

    it('when dead letters are listed with a filter, then only those match', async () => {
      const app = await withDeadLetter();
      const all = (await request(app).get('/signals/api/dead-letters').expect(200)).body as unknown[];
      expect(all).to.have.length(1);
      await request(app).get('/signals/api/dead-letters?error=no-such-error').expect(200, []);
      await request(app).get('/signals/api/dead-letters?limit=0').expect(400);
    });

    it('when replay or delete gets no filter, an unknown field or a form body, then it refuses with 400 or 415 and nothing changes', async () => {
      const app = await withDeadLetter();
      const empty = await request(app).post('/signals/api/dead-letters/delete').send({}).expect(400);
      expect((empty.body as { error: string }).error).to.contain('"all": true');
      await request(app).post('/signals/api/dead-letters/delete').send({ everything: true }).expect(400);
      await request(app).post('/signals/api/dead-letters/delete').type('form').send('all=true').expect(415);
      await request(app).post('/signals/api/dead-letters/delete').set('Content-Type', 'application/json').send('{"all":').expect(400);
      expect((await request(app).get('/signals/api/dead-letters')).body).to.have.length(1);
    });

    it('when delete is asked for every dead letter, then they are gone', async () => {
      const app = await withDeadLetter();
      await request(app).post('/signals/api/dead-letters/delete').send({ all: true }).expect(200, { deleted: 1 });
      await request(app).get('/signals/api/dead-letters').expect(200, []);
    });

    it('when it is read-only, then replay and delete answer 403', async () => {
      const app = await withDeadLetter({ readOnly: true });
      await request(app).post('/signals/api/dead-letters/replay').send({ all: true }).expect(403, { error: 'The dashboard is read-only' });
      await request(app).post('/signals/api/dead-letters/delete').send({ all: true }).expect(403);
      expect((await request(app).get('/signals/api/dead-letters')).body).to.have.length(1);
    });

    it('when Redis cannot be reached, then the state says why, and the dead letters answer 503', async () => {
      const backend = fixture.backend({ url: redisBroker.unreachableUrl, sendTimeoutMs: 300 });
      backend.connect(fixture.signal, function sendWelcomeEmail() {});
      const app = mount({ signals: [fixture.signal], backend: () => backend });
      const state = (await request(app).get('/signals/api/state').expect(200)).body as DashboardState;
      expect(state.problem).to.contain('backlog: ').and.contain('dead letters: ');
      expect(state.signals[0]?.receivers).to.deep.equal([{ name: 'sendWelcomeEmail' }]);
      const unreachable = await request(app).get('/signals/api/dead-letters').expect(503);
      expect((unreachable.body as { error: string }).error).to.contain('The broker could not be reached');
    });
  });
});
