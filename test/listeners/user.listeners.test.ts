import { expect } from 'chai';
import sinon from 'sinon';
import { ReadCache } from '../../src/services/read-cache.js';
import { userCreated, userDeleted, userUpdated } from '../../src/services/user.signals.js';
import { useListeners } from '../support/listener-fakes.js';

describe('user listeners', () => {
  const fixture = useListeners();

  describe('on user.created', () => {
    it('when a user is created, then a welcome email goes to them and an audit row is recorded', async () => {
      const { mailer, audit } = fixture();
      const errors = await userCreated.send({ id: 1, email: 'ada@example.com', name: 'Ada' });
      expect(errors).to.deep.equal([]);
      sinon.assert.calledOnceWithMatch(mailer.send, { to: 'ada@example.com', subject: 'Welcome, Ada' });
      sinon.assert.calledOnceWithExactly(audit.record, 'user.created', 'user', 1, { email: 'ada@example.com', name: 'Ada' }, {
        once: undefined,
      });
    });

    it('when the mailer fails, then the audit row is still recorded and the error is returned', async () => {
      const { mailer, audit } = fixture();
      mailer.send.rejects(new Error('SMTP down'));
      const errors = await userCreated.send({ id: 1, email: 'ada@example.com', name: 'Ada' });
      expect(errors.map((error) => error.message)).to.deep.equal(['SMTP down']);
      sinon.assert.calledOnce(audit.record);
    });
  });

  describe('on user.updated and user.deleted', () => {
    for (const [label, send] of [
      ['updated', () => userUpdated.send({ id: 1, changes: ['name'] })],
      ['deleted', () => userDeleted.send({ id: 1 })],
    ] as const) {
      it(`when a user is ${label}, then their cached read is dropped and an audit row is recorded`, async () => {
        const { cache, audit } = fixture();
        cache.set(ReadCache.key('user', 1), { id: 1 });
        cache.set(ReadCache.key('user', 2), { id: 2 });
        await send();
        expect(cache.get(ReadCache.key('user', 1))).to.equal(undefined);
        expect(cache.get(ReadCache.key('user', 2))).to.deep.equal({ id: 2 });
        sinon.assert.calledOnceWithMatch(audit.record, `user.${label}`, 'user', 1);
      });
    }
  });

  describe('registerListeners()', () => {
    it('when disposed, then no receiver of the app stays connected', () => {
      fixture().dispose();
      expect([userCreated, userUpdated, userDeleted].map((signal) => signal.hasReceivers)).to.deep.equal([false, false, false]);
    });
  });
});
