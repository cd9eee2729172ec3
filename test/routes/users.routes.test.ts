import { expect } from 'chai';
import request from 'supertest';
import { userCreated, userDeleted, userPasswordChanged, userUpdated } from '../../src/services/user.signals.js';
import { captureSignals } from '../../src/signals/index.js';
import { useTestApp } from '../support/test-app.js';

const ada = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };

describe('users routes', () => {
  const t = useTestApp();

  const createAda = async (): Promise<number> => {
    const response = await request(t().app).post('/users').send(ada).expect(201);
    return (response.body as { id: number }).id;
  };

  describe('POST /users', () => {
    it('when the input is valid, then it answers 201 without the password and fires user.created once', async () => {
      using captured = captureSignals(userCreated);
      const response = await request(t().app).post('/users').send(ada).expect(201);
      const body = response.body as Record<string, unknown>;
      expect(Object.keys(body).sort()).to.deep.equal(['createdAt', 'email', 'id', 'name', 'updatedAt']);
      expect(captured.sent(userCreated)).to.deep.equal([{ id: body.id, email: ada.email, name: ada.name }]);
    });

    it('when the user is stored, then the password is kept as a salted scrypt hash', async () => {
      const id = await createAda();
      const hash = await t().container.connection.db.selectFrom('users').select('passwordHash').where('id', '=', id).executeTakeFirstOrThrow();
      expect(hash.passwordHash).to.match(/^scrypt\$\d+\$[^$]+\$[^$]+$/);
      expect(hash.passwordHash).not.to.contain(ada.password);
    });

    it('when the email is taken, then it answers 409 and fires nothing', async () => {
      await createAda();
      using captured = captureSignals(userCreated);
      const response = await request(t().app).post('/users').send({ ...ada, name: 'Other' }).expect(409);
      expect(response.body).to.deep.equal({ error: { code: 'conflict', message: 'A user with this email already exists' } });
      expect(captured.sent(userCreated)).to.deep.equal([]);
    });

    for (const key of ['isAdmin', '__proto__', 'constructor']) {
      it(`when the body has the unknown key ${key}, then it answers 400 and stores nothing`, async () => {
        using captured = captureSignals(userCreated);
        const body = `{"email":"ada@example.com","name":"Ada","password":"correct horse","${key}":{"admin":true}}`;
        const response = await request(t().app).post('/users').set('content-type', 'application/json').send(body).expect(400);
        expect((response.body as { error: { code: string } }).error.code).to.equal('validation_failed');
        expect(captured.sent(userCreated)).to.deep.equal([]);
        expect((await t().container.users.list({ limit: 10, offset: 0 })).total).to.equal(0);
      });
    }

    it('when the password is shorter than 8 characters, then it answers 400 naming the field', async () => {
      const response = await request(t().app).post('/users').send({ ...ada, password: 'short' }).expect(400);
      const { details } = (response.body as { error: { details: { path: string }[] } }).error;
      expect(details.map((detail) => detail.path)).to.deep.equal(['body.password']);
    });

    it('when the body is not valid JSON, then it answers 400 validation_failed', async () => {
      const response = await request(t().app).post('/users').set('content-type', 'application/json').send('{"email":').expect(400);
      expect((response.body as { error: { code: string } }).error.code).to.equal('validation_failed');
    });

    it('when the body is over 100 kB, then it answers 413 payload_too_large', async () => {
      const response = await request(t().app).post('/users').send({ ...ada, name: 'x'.repeat(110_000) }).expect(413);
      expect(response.body).to.deep.equal({ error: { code: 'payload_too_large', message: 'The request body is too large' } });
    });

    it('when a receiver throws, then the response is unchanged and the failure is logged with the request id', async () => {
      userCreated.connect(function brokenReceiver() {
        throw new Error('mail server down');
      });
      const response = await request(t().app).post('/users').set('X-Request-Id', 'req-42').send(ada).expect(201);
      expect((response.body as { email: string }).email).to.equal(ada.email);
      const [failure, ...others] = t().logs.at('error');
      expect(others).to.have.length(0);
      expect(failure).to.include({ signal: 'user.created', receiver: 'brokenReceiver', requestId: 'req-42' });
    });

    it('when a user is created, then a welcome email reaches the development mailbox', async () => {
      await createAda();
      const response = await request(t().app).get('/dev/mailbox').expect(200);
      expect(response.body).to.have.length(1);
      expect((response.body as { to: string; subject: string }[])[0]).to.include({ to: ada.email, subject: 'Welcome, Ada' });
    });
  });

  describe('GET /users', () => {
    it('when there are more users than the limit, then it answers one page and the total', async () => {
      for (const name of ['A', 'B', 'C']) {
        await request(t().app).post('/users').send({ ...ada, email: `${name}@example.com`, name }).expect(201);
      }
      const response = await request(t().app).get('/users?limit=2&offset=1').expect(200);
      const body = response.body as { items: { name: string }[]; total: number };
      expect(body.total).to.equal(3);
      expect(body.items.map((user) => user.name)).to.deep.equal(['B', 'C']);
    });

    it('when the limit is not a number, then it answers 400', async () => {
      await request(t().app).get('/users?limit=lots').expect(400);
    });
  });

  describe('GET /users/:id', () => {
    it('when the user exists, then it answers 200 with the user', async () => {
      const id = await createAda();
      const response = await request(t().app).get(`/users/${id}`).expect(200);
      expect(response.body).to.include({ id, email: ada.email, name: ada.name });
    });

    it('when there is no such user, then it answers 404 not_found', async () => {
      const response = await request(t().app).get('/users/999').expect(404);
      expect(response.body).to.deep.equal({ error: { code: 'not_found', message: 'No user with id 999' } });
    });

    it('when the id is not numeric, then it answers 400, not 500', async () => {
      await request(t().app).get('/users/abc').expect(400);
    });

    it('when the row changes behind the service, then the cached read is what it serves', async () => {
      const id = await createAda();
      await request(t().app).get(`/users/${id}`).expect(200);
      await t().container.connection.db.updateTable('users').set({ name: 'Changed in SQL' }).where('id', '=', id).execute();
      const response = await request(t().app).get(`/users/${id}`).expect(200);
      expect((response.body as { name: string }).name).to.equal('Ada');
    });
  });

  describe('PATCH /users/:id', () => {
    it('when the name changes, then it answers 200, fires user.updated with the changed fields and the next read is fresh', async () => {
      const id = await createAda();
      await request(t().app).get(`/users/${id}`).expect(200);
      using captured = captureSignals(userUpdated);
      await request(t().app).patch(`/users/${id}`).send({ name: 'Ada Lovelace', email: ada.email }).expect(200);
      expect(captured.sent(userUpdated)).to.deep.equal([{ id, changes: ['name'] }]);
      const response = await request(t().app).get(`/users/${id}`).expect(200);
      expect((response.body as { name: string }).name).to.equal('Ada Lovelace');
    });

    it('when the email belongs to another user, then it answers 409 and fires nothing', async () => {
      const id = await createAda();
      await request(t().app).post('/users').send({ ...ada, email: 'grace@example.com' }).expect(201);
      using captured = captureSignals(userUpdated);
      await request(t().app).patch(`/users/${id}`).send({ email: 'grace@example.com' }).expect(409);
      expect(captured.sent(userUpdated)).to.deep.equal([]);
    });

    it('when the body tries to set the password, then it answers 400', async () => {
      const id = await createAda();
      await request(t().app).patch(`/users/${id}`).send({ password: 'new password' }).expect(400);
    });

    it('when there is no such user, then it answers 404 and fires nothing', async () => {
      using captured = captureSignals(userUpdated);
      await request(t().app).patch('/users/999').send({ name: 'Nobody' }).expect(404);
      expect(captured.sent(userUpdated)).to.deep.equal([]);
    });
  });

  describe('POST /users/:id/password', () => {
    const change = { currentPassword: ada.password, newPassword: 'battery staple' };

    // #region guide:change-password-route-test
    it('when the current password is right, then it answers 204, mails a notice and records an audit row', async () => {
      const id = await createAda();
      using captured = captureSignals(userPasswordChanged);
      const response = await request(t().app).post(`/users/${id}/password`).send(change).expect(204);
      expect(response.text).to.equal('');
      expect(captured.sent(userPasswordChanged)).to.deep.equal([{ id, email: ada.email }]);
      const mails = (await request(t().app).get('/dev/mailbox').expect(200)).body as { to: string; subject: string }[];
      expect(mails.at(-1)).to.include({ to: ada.email, subject: 'Your password was changed' });
      const events = (await request(t().app).get(`/audit-events?entity=user&entityId=${id}`).expect(200)).body as { signal: string }[];
      expect(events.map((event) => event.signal)).to.deep.equal(['user.created', 'user.password_changed']);
    });
    // #endregion

    it('when the password was changed, then the new one is the current one and the old one is not', async () => {
      const id = await createAda();
      await request(t().app).post(`/users/${id}/password`).send(change).expect(204);
      const next = (currentPassword: string) => ({ currentPassword, newPassword: 'a third password' });
      await request(t().app).post(`/users/${id}/password`).send(next(ada.password)).expect(403);
      await request(t().app).post(`/users/${id}/password`).send(next(change.newPassword)).expect(204);
    });

    it('when the current password is wrong, then it answers 403 wrong_password, sends no mail and fires nothing', async () => {
      const id = await createAda();
      using captured = captureSignals(userPasswordChanged);
      const response = await request(t().app).post(`/users/${id}/password`).send({ ...change, currentPassword: 'not it at all' }).expect(403);
      expect(response.body).to.deep.equal({ error: { code: 'wrong_password', message: 'The current password is not correct' } });
      expect(captured.sent(userPasswordChanged)).to.deep.equal([]);
      const mails = (await request(t().app).get('/dev/mailbox').expect(200)).body as { subject: string }[];
      expect(mails.map((mail) => mail.subject)).to.deep.equal(['Welcome, Ada']);
    });

    it('when there is no such user, then it answers 404', async () => {
      const response = await request(t().app).post('/users/999/password').send(change).expect(404);
      expect(response.body).to.deep.equal({ error: { code: 'not_found', message: 'No user with id 999' } });
    });

    for (const [problem, body, path] of [
      ['the new password is shorter than 8 characters', { ...change, newPassword: 'short' }, 'body.newPassword'],
      ['the new password is the current one', { ...change, newPassword: change.currentPassword }, 'body.newPassword'],
      ['the current password is missing', { newPassword: change.newPassword }, 'body.currentPassword'],
      ['the body has an unknown key', { ...change, isAdmin: true }, 'body'],
    ] as const) {
      it(`when ${problem}, then it answers 400 naming ${path} and changes nothing`, async () => {
        const id = await createAda();
        using captured = captureSignals(userPasswordChanged);
        const response = await request(t().app).post(`/users/${id}/password`).send(body).expect(400);
        const { code, details } = (response.body as { error: { code: string; details: { path: string }[] } }).error;
        expect([code, ...details.map((detail) => detail.path)]).to.deep.equal(['validation_failed', path]);
        expect(captured.sent(userPasswordChanged)).to.deep.equal([]);
      });
    }
  });

  describe('DELETE /users/:id', () => {
    it('when the user exists, then it answers 204, fires user.deleted and the next read is 404', async () => {
      const id = await createAda();
      await request(t().app).get(`/users/${id}`).expect(200);
      using captured = captureSignals(userDeleted);
      await request(t().app).delete(`/users/${id}`).expect(204);
      expect(captured.sent(userDeleted)).to.deep.equal([{ id }]);
      await request(t().app).get(`/users/${id}`).expect(404);
    });

    it('when there is no such user, then it answers 404 and fires nothing', async () => {
      using captured = captureSignals(userDeleted);
      await request(t().app).delete('/users/999').expect(404);
      expect(captured.sent(userDeleted)).to.deep.equal([]);
    });
  });

  describe('GET /audit-events', () => {
    it('when a user is created, updated, changes their password and is deleted, then each step has an audit row', async () => {
      const id = await createAda();
      await request(t().app).patch(`/users/${id}`).send({ name: 'Ada L' }).expect(200);
      await request(t().app).post(`/users/${id}/password`).send({ currentPassword: ada.password, newPassword: 'battery staple' }).expect(204);
      await request(t().app).delete(`/users/${id}`).expect(204);
      const response = await request(t().app).get(`/audit-events?entity=user&entityId=${id}`).expect(200);
      const events = response.body as { signal: string; entity: string; entityId: number; data: unknown }[];
      expect(events.map((event) => event.signal)).to.deep.equal(['user.created', 'user.updated', 'user.password_changed', 'user.deleted']);
      expect(events[1]).to.deep.include({ entity: 'user', entityId: id, data: { changes: ['name'] } });
    });

    it('when the entity is not user or order, then it answers 400', async () => {
      await request(t().app).get('/audit-events?entity=invoice').expect(400);
    });
  });
});
