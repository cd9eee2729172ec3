import { expect } from 'chai';
import type { ReceiverSettledEvent, SentEvent } from '../../../src/signals/index.js';
import { useBrokerFixture } from './support/broker-fixture.js';
import { createTestBackend, rabbitBroker, redisBroker, type TestBroker } from './support/brokers.js';
import { MemoryLogger, waitFor } from './support/waiting.js';

for (const broker of [redisBroker, rabbitBroker] as TestBroker[]) {
  describe(`${broker.name}: the onSent and onReceiverSettled observers`, function () {
    this.timeout(20_000);
    const fixture = useBrokerFixture(broker);

    it('when a receiver fails its first attempt and not its second, then it is told retry then success, with the attempts and message id', async () => {
      const settled: ReceiverSettledEvent[] = [];
      const seen: (string | undefined)[] = [];
      const backend = fixture.backend({ consume: true, onReceiverSettled: (event) => settled.push(event) });
      backend.connect(fixture.signal, function sendWelcomeEmail(_payload, context) {
        seen.push(context.messageId);
        if (context.attempt === 1) throw new Error('mail server busy');
      });
      await backend.whenConsuming();
      await backend.send(fixture.signal, { n: 1 });
      await waitFor('two runs', () => settled.length === 2);
      expect(settled.map(({ receiverName, outcome, attempt }) => ({ receiverName, outcome, attempt }))).to.deep.equal([
        { receiverName: 'sendWelcomeEmail', outcome: 'retry', attempt: 1 },
        { receiverName: 'sendWelcomeEmail', outcome: 'success', attempt: 2 },
      ]);
      expect(settled.map((event) => event.messageId)).to.deep.equal(seen);
      expect(settled[0]?.error?.message).to.equal('mail server busy');
      expect(settled[0]?.durationMs).to.be.a('number').that.is.at.least(0);
    });

    it('when a receiver fails every attempt, then its last is told dead-lettered', async () => {
      const settled: ReceiverSettledEvent[] = [];
      const backend = fixture.backend({ consume: true, maxAttempts: 2, onReceiverSettled: (event) => settled.push(event) });
      backend.connect(fixture.signal, function recordAudit() {
        throw new Error('database down');
      });
      await backend.whenConsuming();
      await backend.send(fixture.signal, { n: 1 });
      await waitFor('the dead letter', async () => (await backend.deadLetterCount()) === 1);
      expect(settled.map(({ outcome, attempt }) => [outcome, attempt])).to.deep.equal([
        ['retry', 1],
        ['dead-lettered', 2],
      ]);
    });

    it('when both observers throw, then the message is still delivered and acked, and each failure is logged', async () => {
      const logger = new MemoryLogger();
      const throwing = (): void => {
        throw new Error('metrics down');
      };
      const backend = fixture.backend({ consume: true, logger, onSent: throwing, onReceiverSettled: throwing });
      const received: number[] = [];
      backend.connect(fixture.signal, ({ n }) => void received.push(n), { name: 'sendWelcomeEmail' });
      await backend.whenConsuming();
      expect(await backend.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the delivery', () => received.length === 1);
      await backend.close();
      expect(await broker.pendingCount(fixture.prefix, fixture.signal.name, 'sendWelcomeEmail')).to.equal(0);
      const failures = logger.lines.filter((line) => line.level === 'error').map((line) => line.message);
      // In either order: the consumer may run the receiver before the publisher's confirm arrives.
      expect(failures).to.have.members([
        "Receiver onSent of signal 'user.created' failed: metrics down",
        "Receiver onReceiverSettled of signal 'user.created' failed: metrics down",
      ]);
    });

    it('when a send is accepted, refused for its payload, or meets a broker that is down, then onSent is told each, with the error', async () => {
      const sent: SentEvent[] = [];
      const backend = fixture.backend({ onSent: (event) => sent.push(event) });
      const down = createTestBackend(broker.name, fixture.prefix, { url: broker.unreachableUrl, sendTimeoutMs: 500, onSent: (event) => sent.push(event) });
      backend.connect(fixture.signal, function sendWelcomeEmail() {});
      try {
        await backend.send(fixture.signal, { n: 1 });
        await backend.send(fixture.signal, { n: 2, callback: () => undefined } as never);
        await down.send(fixture.signal, { n: 3 });
      } finally {
        await down.close();
      }
      expect(sent.map(({ signalName, error }) => [signalName, error?.name])).to.deep.equal([
        ['user.created', undefined],
        ['user.created', 'UnportablePayloadError'],
        ['user.created', 'PublishError'],
      ]);
      expect(sent[0]?.messageId).to.be.a('string');
      expect(sent[1]?.messageId).to.equal(undefined);
    });
  });
}
