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
