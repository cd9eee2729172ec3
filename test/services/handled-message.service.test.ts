import { expect } from 'chai';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { HandledMessageRepository } from '../../src/repositories/handled-message.repository.js';
import { AuditService } from '../../src/services/audit.service.js';
import { HandledMessageService, MessageInProgressError } from '../../src/services/handled-message.service.js';
import { describeOnEachDatabase } from '../support/databases.js';

const key = { receiver: 'auditUserCreated', messageId: 'msg-1' };

describeOnEachDatabase('Handling a message once', (connection) => {
  const build = () => {
    const { db } = connection();
    const handledMessages = new HandledMessageRepository(db);
    const handled = new HandledMessageService({ db, handled: handledMessages });
    const auditEvents = new AuditRepository(db);
    const audit = new AuditService({ audit: auditEvents, handled });
    return { handledMessages, handled, auditEvents, audit };
  };

  it('when the same message is handled twice, then one audit row is written', async () => {
    const { audit } = build();
    await audit.record('user.created', 'user', 1, { name: 'Ada' }, { once: key });
    await audit.record('user.created', 'user', 1, { name: 'Ada' }, { once: key });
    expect(await audit.list({ entity: 'user', entityId: 1 })).to.have.length(1);
  });

  it('when a message comes again, then once() answers true the first time and false after, without running the effect', async () => {
    const { handled } = build();
    const runs: string[] = [];
    expect(await handled.once(key, () => Promise.resolve(void runs.push('first')))).to.equal(true);
    expect(await handled.once(key, () => Promise.resolve(void runs.push('again')))).to.equal(false);
    expect(runs).to.deep.equal(['first']);
  });

  it('when two receivers handle the same message, then each applies its effect once', async () => {
    const { audit } = build();
    await audit.record('user.created', 'user', 1, {}, { once: key });
    await audit.record('user.created', 'user', 1, {}, { once: { ...key, receiver: 'auditAgain' } });
    expect(await audit.list({ entity: 'user', entityId: 1 })).to.have.length(2);
  });

  it('when no key is given (the in-process backend), then every call writes its row and nothing is marked', async () => {
    const { audit, handledMessages } = build();
    await audit.record('user.created', 'user', 1, {});
    await audit.record('user.created', 'user', 1, {});
    expect(await audit.list({ entity: 'user', entityId: 1 })).to.have.length(2);
    expect(await handledMessages.has(key)).to.equal(false);
  });

  it('when the effect fails, then no mark is written and a retry applies it', async () => {
    const { handled, handledMessages, auditEvents, audit } = build();
    const failing = handled.once(key, async (trx) => {
      await auditEvents.withExecutor(trx).insert({ signal: 'user.created', entity: 'user', entityId: 1, data: {} });
      throw new Error('disk full');
    });
    const error: unknown = await failing.catch((thrown: unknown) => thrown);
    expect(error).to.have.property('message', 'disk full');
    expect(await handledMessages.has(key)).to.equal(false);
    expect(await audit.list({})).to.have.length(0);
    await audit.record('user.created', 'user', 1, {}, { once: key });
    expect(await audit.list({})).to.have.length(1);
    expect(await handledMessages.has(key)).to.equal(true);
  });

  describe('atLeastOnce() (mail)', () => {
    it('when two deliveries of one message run at once, then the mail is sent once and the other delivery is told to retry', async () => {
      const { handled } = build();
      const sent: string[] = [];
      let finishSending: () => void = () => undefined;
      const slowSend = (): Promise<void> =>
        new Promise<void>((resolve) => (finishSending = resolve)).then(() => void sent.push('welcome'));
      const first = handled.atLeastOnce(key, slowSend);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second: unknown = await handled.atLeastOnce(key, slowSend).catch((thrown: unknown) => thrown);
      expect(second).to.be.instanceOf(MessageInProgressError);
      expect(String(second)).to.equal('MessageInProgressError: Message msg-1 is being handled by auditUserCreated in another delivery');
      finishSending();
      await first;
      await handled.atLeastOnce(key, slowSend);
      expect(sent).to.deep.equal(['welcome']);
    });

    it('when a delivery claimed the message and never finished (its worker died), then a later one takes it over', async () => {
      const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
      const { db } = connection();
      const handled = new HandledMessageService({ db, handled: new HandledMessageRepository(db), claimTtlMs: 10_000, clock: () => clock.now });
      const never = handled.atLeastOnce(key, () => new Promise<void>(() => undefined));
      void never;
      await new Promise((resolve) => setTimeout(resolve, 20));
      clock.now += 11_000;
      const sent: string[] = [];
      await handled.atLeastOnce(key, () => Promise.resolve(void sent.push('welcome')));
      expect(sent).to.deep.equal(['welcome']);
    });

    it('when the message was sent already, then it is not sent again', async () => {
      const { handled } = build();
      const sent: string[] = [];
      const send = (): Promise<void> => Promise.resolve(void sent.push('welcome'));
      await handled.atLeastOnce(key, send);
      await handled.atLeastOnce(key, send);
      expect(sent).to.deep.equal(['welcome']);
    });

    it('when sending fails, then no mark is written and the retry sends it', async () => {
      const { handled, handledMessages } = build();
      const failing = handled.atLeastOnce(key, () => Promise.reject(new Error('SMTP down')));
      const error: unknown = await failing.catch((thrown: unknown) => thrown);
      expect(error).to.have.property('message', 'SMTP down');
      expect(await handledMessages.has(key)).to.equal(false);
      const sent: string[] = [];
      await handled.atLeastOnce(key, () => Promise.resolve(void sent.push('welcome')));
      expect(sent).to.deep.equal(['welcome']);
    });
  });
});
