import { AsyncLocalStorage } from 'node:async_hooks';
import { expect } from 'chai';
import type { ReceiverContext } from '../../../../src/signals/index.js';
import type { TestBroker } from './brokers.js';
import { RECEIVERS, SIGNAL, useBrokerFixture, type Payload } from './broker-fixture.js';
import { delay, MemoryLogger, waitFor } from './waiting.js';

/** What issue 4 asks of consumers on every broker backend: at least once, retries, dead letters. */
export function describeConsuming(broker: TestBroker): void {
  describe('consuming', () => {
    const fixture = useBrokerFixture(broker);

    it('when a consumer is killed before it acks, then another consumer processes the message exactly once', async () => {
      const crashing = fixture.consumerProcess('hang', ['sendWelcomeEmail']);
      await crashing.ready();
      expect(await fixture.backend().send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the first consumer to receive it', () => crashing.messages('received').length === 1);
      await crashing.kill();
      const killedAt = Date.now();
      const handled: ReceiverContext<Payload>[] = [];
      const survivor = fixture.backend({ consume: true });
      survivor.connect(fixture.signal, function sendWelcomeEmail(_payload, context) {
        handled.push(context);
      });
      await waitFor('another consumer to process it', () => handled.length === 1, 5000);
      expect(Date.now() - killedAt).to.be.below(5000);
      await delay(300);
      expect(handled.map((context) => context.messageId)).to.deep.equal([crashing.messages('received')[0]?.messageId]);
      await survivor.close();
      expect(await broker.pendingCount(fixture.prefix, SIGNAL, 'sendWelcomeEmail')).to.equal(0);
    });

    it('when a message kills its consumer maxAttempts times, then it is dead-lettered without running again', async function () {
      this.timeout(30_000);
      for (let crash = 0; crash < 2; crash++) {
        const crashing = fixture.consumerProcess('hang', ['sendWelcomeEmail'], 2);
        await crashing.ready();
        if (crash === 0) expect(await fixture.backend().send(fixture.signal, { n: 9 })).to.deep.equal([]);
        await waitFor('the message to reach the consumer', () => crashing.messages('received').length === 1);
        await crashing.kill();
      }
      const logger = new MemoryLogger();
      const survivor = fixture.backend({ consume: true, maxAttempts: 2, logger });
      const calls: number[] = [];
      survivor.connect(fixture.signal, function sendWelcomeEmail(payload) {
        calls.push(payload.n);
      });
      await waitFor('the dead-lettering', () => logger.lines.some((line) => line.message.includes('without finishing')));
      await survivor.close();
      expect(calls).to.deep.equal([]);
      const letters = await broker.deadLetters(fixture.prefix);
      expect(letters.map((letter) => letter.error.message)).to.have.length(1);
      expect(letters[0]?.error.message).to.match(/Delivered 2 times without finishing/);
      expect(await broker.pendingCount(fixture.prefix, SIGNAL, 'sendWelcomeEmail')).to.equal(0);
    });

    it('when a receiver always throws, then it gets exactly maxAttempts deliveries and one dead letter with the error', async () => {
      const consumer = fixture.backend({ consume: true, maxAttempts: 4 });
      const attempts: (number | undefined)[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail(_payload, context) {
        attempts.push(context.attempt);
        throw new Error('SMTP is down');
      });
      await consumer.whenConsuming();
      expect(await consumer.send(fixture.signal, { n: 7 })).to.deep.equal([]);
      await waitFor('four deliveries', () => attempts.length === 4);
      await delay(300);
      await consumer.close();
      expect(attempts).to.deep.equal([1, 2, 3, 4]);
      const letters = await broker.deadLetters(fixture.prefix);
      expect(letters).to.have.length(1);
      expect(letters[0]).to.deep.include({ receiver: 'sendWelcomeEmail', attempts: 4 });
      expect(letters[0]?.error.message).to.equal('SMTP is down');
      expect(letters[0]?.envelope.payload).to.deep.equal({ n: 7 });
      expect(await broker.pendingCount(fixture.prefix, SIGNAL, 'sendWelcomeEmail')).to.equal(0);
    });

    it('when a receiver fails once, then one retry succeeds with the same message id and nothing is dead-lettered', async () => {
      const consumer = fixture.backend({ consume: true });
      const contexts: ReceiverContext<Payload>[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail(_payload, context) {
        contexts.push(context);
        if (context.attempt === 1) throw new Error('a blip');
      });
      await consumer.whenConsuming();
      expect(await consumer.send(fixture.signal, { n: 3 })).to.deep.equal([]);
      await waitFor('the retry', () => contexts.length === 2);
      await delay(300);
      await consumer.close();
      expect(contexts.map((context) => context.attempt)).to.deep.equal([1, 2]);
      expect(contexts[1]?.messageId).to.equal(contexts[0]?.messageId);
      expect(await broker.deadLetters(fixture.prefix)).to.deep.equal([]);
      expect(await broker.pendingCount(fixture.prefix, SIGNAL, 'sendWelcomeEmail')).to.equal(0);
    });

    it('when two processes run two receivers, then each receiver handles each of 1,000 messages exactly once', async function () {
      this.timeout(60_000);
      const workers = [fixture.consumerProcess('record', RECEIVERS), fixture.consumerProcess('record', RECEIVERS)];
      await Promise.all(workers.map((worker) => worker.ready()));
      const sender = fixture.backend();
      for (let start = 0; start < 1000; start += 100) {
        const batch = Array.from({ length: 100 }, (_, i) => sender.send(fixture.signal, { n: start + i }));
        expect((await Promise.all(batch)).flat()).to.deep.equal([]);
      }
      const handled = () => workers.flatMap((worker) => worker.messages('handled'));
      await waitFor('2,000 deliveries', () => handled().length >= 2000, 30_000);
      await delay(500);
      await Promise.all(workers.map((worker) => worker.stop()));
      const expected = Array.from({ length: 1000 }, (_, n) => n);
      for (const receiver of RECEIVERS) {
        const seen = handled().filter((event) => event.receiver === receiver).map((event) => event.n);
        expect(seen.sort((a, b) => a - b)).to.deep.equal(expected);
        expect(await broker.pendingCount(fixture.prefix, SIGNAL, receiver)).to.equal(0);
      }
      for (const worker of workers) expect(worker.messages('handled').length).to.be.above(0);
    });

    it('when the sender has a request id, then the receiver runs inside it in the consuming process', async () => {
      const requestContext = new AsyncLocalStorage<{ requestId?: string }>();
      const sender = fixture.backend({ getContext: () => ({ requestId: 'req-42' }) });
      const consumer = fixture.backend({
        consume: true,
        runInContext: (context, fn) => requestContext.run(context, fn),
      });
      const seen: (string | undefined)[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail() {
        seen.push(requestContext.getStore()?.requestId);
      });
      await consumer.whenConsuming();
      expect(await sender.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the message', () => seen.length === 1);
      expect(seen).to.deep.equal(['req-42']);
    });

    it('when one message waits out a retry backoff, then later messages are not held up', async () => {
      const consumer = fixture.backend({ consume: true, maxAttempts: 2, retryBaseDelayMs: 1000, retryMaxDelayMs: 1000 });
      const handled: string[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail(payload, context) {
        handled.push(`${payload.n}#${context.attempt}`);
        if (payload.n === 1 && context.attempt === 1) throw new Error('a blip');
      });
      await consumer.whenConsuming();
      const sender = fixture.backend();
      expect(await sender.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the first attempt', () => handled.length === 1);
      expect(await sender.send(fixture.signal, { n: 2 })).to.deep.equal([]);
      await waitFor('the retry', () => handled.length === 3, 3000);
      expect(handled).to.deep.equal(['1#1', '2#1', '1#2']);
    });

    for (const disconnectFirst of [false, true]) {
      const how = disconnectFirst ? 'after its receivers are disconnected' : 'while a receiver runs';
      it(`when close() is called ${how}, then the running receiver finishes and its message is acked`, async () => {
        const consumer = fixture.backend({ consume: true });
        const events: string[] = [];
        const sendWelcomeEmail = async function sendWelcomeEmail(): Promise<void> {
          events.push('started');
          await delay(300);
          events.push('finished');
        };
        consumer.connect(fixture.signal, sendWelcomeEmail);
        await consumer.whenConsuming();
        expect(await fixture.backend().send(fixture.signal, { n: 1 })).to.deep.equal([]);
        await waitFor('the receiver to start', () => events.length === 1);
        if (disconnectFirst) consumer.disconnect(fixture.signal, sendWelcomeEmail);
        await consumer.close();
        events.push('closed');
        expect(events).to.deep.equal(['started', 'finished', 'closed']);
        expect(await broker.pendingCount(fixture.prefix, SIGNAL, 'sendWelcomeEmail')).to.equal(0);
      });
    }

    it('when a backend does not consume, then its receivers are registered but run only in the consuming process', async () => {
      const web = fixture.backend();
      const worker = fixture.backend({ consume: true });
      const ranIn: string[] = [];
      web.connect(fixture.signal, function sendWelcomeEmail() {
        ranIn.push('web');
      });
      worker.connect(fixture.signal, function sendWelcomeEmail() {
        ranIn.push('worker');
      });
      await worker.whenConsuming();
      expect(web.receivers(fixture.signal)).to.have.length(1);
      expect(await web.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the worker', () => ranIn.length === 1);
      await delay(300);
      expect(ranIn).to.deep.equal(['worker']);
    });
  });
}
