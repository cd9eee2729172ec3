import { expect } from 'chai';
import sinon from 'sinon';
import { registerListeners } from '../../src/listeners/index.js';
import { createLogger } from '../../src/logger.js';
import { ReadCache } from '../../src/services/read-cache.js';
import { userCreated, userDeleted, userUpdated } from '../../src/services/user.signals.js';
import { InProcessBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { MemoryTransport } from '../support/memory-transport.js';

describe('user listeners', () => {
  let mailer: { send: sinon.SinonStub };
  let audit: { record: sinon.SinonStub };
  let cache: ReadCache;
  let dispose: () => void;

  beforeEach(() => {
    setBackend(new InProcessBackend({ logger: createLogger({ transports: [new MemoryTransport()] }) }));
    mailer = { send: sinon.stub().resolves() };
    audit = { record: sinon.stub().resolves() };
    cache = new ReadCache();
    const products = { reserve: sinon.stub().resolves(), release: sinon.stub().resolves() };
    dispose = registerListeners({ mailer, audit, cache, products });
  });

  afterEach(() => {
    dispose();
    resetBackend();
    sinon.restore();
  });

  describe('on user.created', () => {
    it('when a user is created, then a welcome email goes to them and an audit row is recorded', async () => {
      const errors = await userCreated.send({ id: 1, email: 'ada@example.com', name: 'Ada' });
      expect(errors).to.deep.equal([]);
      sinon.assert.calledOnceWithMatch(mailer.send, { to: 'ada@example.com', subject: 'Welcome, Ada' });
      sinon.assert.calledOnceWithExactly(audit.record, 'user.created', 'user', 1, { email: 'ada@example.com', name: 'Ada' });
    });

    it('when the mailer fails, then the audit row is still recorded and the error is returned', async () => {
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
      dispose();
      expect([userCreated, userUpdated, userDeleted].map((signal) => signal.hasReceivers)).to.deep.equal([false, false, false]);
    });
  });
});
