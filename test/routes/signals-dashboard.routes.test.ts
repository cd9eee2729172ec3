import { expect } from 'chai';
import request from 'supertest';
import type { DashboardState } from '../../src/signals/dashboard/index.js';
import { buildTestApp, useTestApp } from '../support/test-app.js';

const TOKEN = 'sixteen-chars-at-least';

describe('the app at /signals', () => {
  describe('by default, outside production', () => {
    const t = useTestApp();

    it('when a user is created, then the dashboard shows the sends and the runs of its receivers', async () => {
      await request(t().app).post('/users').send({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' }).expect(201);
      const state = (await request(t().app).get('/signals/api/state').expect(200)).body as DashboardState;
      expect(state.kind).to.equal('in-process');
      expect(state.stats?.sent['user.created']?.total).to.equal(1);
      const runs = state.stats?.receivers.filter((entry) => entry.signal === 'user.created').map((entry) => [entry.receiver, entry.runs]);
      expect(runs).to.deep.equal([
        ['sendWelcomeEmail', 1],
        ['auditUserCreated', 1],
      ]);
    });
  });

  describe('its answers', () => {
    const t = useTestApp();

    it('when the page is served, then its policy lets it load its script over plain HTTP at any address', async () => {
      const policy = (await request(t().app).get('/signals/').expect(200)).get('Content-Security-Policy');
      expect(policy).to.contain("script-src 'self'");
      expect(policy).not.to.contain('upgrade-insecure-requests');
    });

    it('when its API gets malformed JSON, a form or too large a body, then it answers in its own error shape', async () => {
      const malformed = await request(t().app).post('/signals/api/dead-letters/delete').set('Content-Type', 'application/json').send('{bad').expect(400);
      expect(malformed.body).to.have.property('error').that.is.a('string');
      const form = await request(t().app).post('/signals/api/dead-letters/delete').type('text/plain').send('all').expect(415);
      expect(form.body).to.have.property('error').that.is.a('string');
      const large = await request(t().app).post('/signals/api/dead-letters/delete').send({ error: 'x'.repeat(200_000) }).expect(413);
      expect(large.body).to.have.property('error').that.is.a('string');
    });
  });

  it('when a token is set and a request without it has a malformed body, then it answers 401, not 400', async () => {
    const t = await buildTestApp({ env: { SIGNALS_DASHBOARD_TOKEN: TOKEN } });
    try {
      await request(t.app).post('/signals/api/dead-letters/delete').set('Content-Type', 'application/json').send('{bad').expect(401);
    } finally {
      await t.close();
    }
  });

  it('when SIGNALS_DASHBOARD is off, then the app does not serve it', async () => {
    const t = await buildTestApp({ env: { SIGNALS_DASHBOARD: 'off' } });
    try {
      await request(t.app).get('/signals/').expect(404);
    } finally {
      await t.close();
    }
  });

  it('when SIGNALS_DASHBOARD_TOKEN is set, then its API needs the token', async () => {
    const t = await buildTestApp({ env: { SIGNALS_DASHBOARD_TOKEN: TOKEN } });
    try {
      await request(t.app).get('/signals/api/state').expect(401);
      await request(t.app).get('/signals/api/state').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    } finally {
      await t.close();
    }
  });
});
