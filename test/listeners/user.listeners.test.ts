import { expect } from 'chai';
import sinon from 'sinon';
import { ReadCache } from '../../src/services/read-cache.js';
import { userCreated, userDeleted, userPasswordChanged, userUpdated } from '../../src/services/user.signals.js';
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

  describe('on user.password_changed', () => {
    // #region guide:password-changed-listener-test
    it('when a password is changed, then a notice goes to the address it was changed for and an audit row is recorded', async () => {
      const { mailer, audit, handled } = fixture();
      const errors = await userPasswordChanged.send({ id: 1, email: 'ada@example.com' });
      expect(errors).to.deep.equal([]);
      sinon.assert.calledOnceWithMatch(mailer.send, { to: 'ada@example.com', subject: 'Your password was changed' });
      sinon.assert.calledOnce(handled.atLeastOnce);
      sinon.assert.calledOnceWithExactly(audit.record, 'user.password_changed', 'user', 1, {}, { once: undefined });
    });
    // #endregion

    it('when the mailer fails, then the audit row is still recorded and the error is returned', async () => {
      const { mailer, audit } = fixture();
      mailer.send.rejects(new Error('SMTP down'));
      const errors = await userPasswordChanged.send({ id: 1, email: 'ada@example.com' });
      expect(errors.map((error) => error.message)).to.deep.equal(['SMTP down']);
      sinon.assert.calledOnce(audit.record);
    });
  });

  describe('on user.updated, user.password_changed and user.deleted', () => {
    for (const [what, signal, send] of [
      ['is updated', 'user.updated', () => userUpdated.send({ id: 1, changes: ['name'] })],
      ['changes their password', 'user.password_changed', () => userPasswordChanged.send({ id: 1, email: 'ada@example.com' })],
      ['is deleted', 'user.deleted', () => userDeleted.send({ id: 1 })],
    ] as const) {
      it(`when a user ${what}, then their cached read is dropped and an audit row is recorded`, async () => {
        const { cache, audit } = fixture();
        cache.set(ReadCache.key('user', 1), { id: 1 });
        cache.set(ReadCache.key('user', 2), { id: 2 });
        await send();
        expect(cache.get(ReadCache.key('user', 1))).to.equal(undefined);
        expect(cache.get(ReadCache.key('user', 2))).to.deep.equal({ id: 2 });
        sinon.assert.calledOnceWithMatch(audit.record, signal, 'user', 1);
      });
    }
  });

  describe('registerListeners()', () => {
    it('when disposed, then no receiver of the app stays connected', () => {
      fixture().dispose();
      const signals = [userCreated, userUpdated, userPasswordChanged, userDeleted];
      expect(signals.map((signal) => signal.hasReceivers)).to.deep.equal([false, false, false, false]);
    });
  });
});
