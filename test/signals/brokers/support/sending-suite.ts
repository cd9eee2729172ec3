import { expect } from 'chai';
import { PublishError, UnportablePayloadError } from '../../../../src/signals/brokers/index.js';
import type { TestBroker } from './brokers.js';
import { useBrokerFixture, type Payload } from './broker-fixture.js';
import { MemoryLogger, delay, waitFor } from './waiting.js';

/** What issue 4 asks of `send` on every broker backend, run against `broker` on loopback. */
export function describeSending(broker: TestBroker): void {
  describe('send()', () => {
    const fixture = useBrokerFixture(broker);

    it('when the broker is unreachable, then it returns an error within 2 s, logs it and leaves nothing running', async () => {
      const logger = new MemoryLogger();
      const unreachable = fixture.backend({ url: broker.unreachableUrl, logger });
      const started = Date.now();
      const errors = await unreachable.send(fixture.signal, { n: 1 });
      expect(Date.now() - started).to.be.below(2000);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(PublishError);
      const logged = logger.lines.filter((line) => line.level === 'error').map((line) => line.message);
      expect(logged).to.deep.equal([errors[0]?.message]);
      const closing = Date.now();
      await unreachable.close();
      expect(Date.now() - closing).to.be.below(1000);
    });

    it('when the broker goes away and comes back, then send fails within 2 s meanwhile and works afterwards', async function () {
      this.timeout(30_000);
      const proxy = await fixture.proxy();
      const consumer = fixture.backend({ consume: true });
      consumer.connect(fixture.signal, function sendWelcomeEmail() {});
      await consumer.whenConsuming();
      const sender = fixture.backend({ url: proxy.url(broker.url) });
      expect(await sender.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await proxy.down();
      const started = Date.now();
      const errors = await sender.send(fixture.signal, { n: 2 });
      expect(Date.now() - started).to.be.below(2000);
      expect(errors[0]).to.be.instanceOf(PublishError);
      await proxy.up();
      await waitFor('send to work again', async () => (await sender.send(fixture.signal, { n: 3 })).length === 0, 15_000);
    });

    it('when the broker hangs (it accepts bytes and never answers), then send returns an error within 2 s and works again after', async function () {
      this.timeout(30_000);
      const proxy = await fixture.proxy();
      const consumer = fixture.backend({ consume: true });
      const received: number[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail({ n }) {
        received.push(n);
      });
      await consumer.whenConsuming();
      const sender = fixture.backend({ url: proxy.url(broker.url) });
      expect(await sender.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      proxy.pause();
      const started = Date.now();
      const errors = await sender.send(fixture.signal, { n: 2 });
      expect(Date.now() - started).to.be.below(2000);
      expect(errors[0]).to.be.instanceOf(PublishError);
      proxy.resume();
      await waitFor('send to work again', async () => (await sender.send(fixture.signal, { n: 3 })).length === 0, 15_000);
      await waitFor('the messages sent before and after', () => received.includes(1) && received.includes(3), 15_000);
    });

    it('when the payload holds values JSON would change, then the receiver gets them with their types', async () => {
      const consumer = fixture.backend({ consume: true });
      const received: unknown[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail(payload) {
        received.push(payload);
      });
      await consumer.whenConsuming();
      const sent = {
        n: 1,
        dueAt: new Date('2026-12-01T09:30:00.123Z'),
        totals: new Map<string, bigint>([['EUR', 12_345_678_901_234_567_890n]]),
        tags: new Set(['new', 'vip']),
        odd: [undefined, Number.NaN, -0, Number.POSITIVE_INFINITY],
        pattern: /^a+$/gi,
        bytes: new Uint8Array([0, 255]),
      };
      expect(await consumer.send(fixture.signal, sent)).to.deep.equal([]);
      await waitFor('the typed message', () => received.length === 1);
      const [got] = received as (typeof sent)[];
      expect(got).to.deep.equal(sent);
      expect(got?.dueAt.getTime()).to.equal(sent.dueAt.getTime());
      expect(got?.totals.get('EUR')).to.equal(12_345_678_901_234_567_890n);
      expect(Object.is(got?.odd[2], -0)).to.equal(true);
    });

    it('when the payload cannot cross a broker as it is, then it returns an error and publishes nothing', async () => {
      const consumer = fixture.backend({ consume: true });
      const received: Payload[] = [];
      consumer.connect(fixture.signal, function sendWelcomeEmail(payload) {
        received.push(payload);
      });
      await consumer.whenConsuming();
      const refused = await consumer.send(fixture.signal, { n: () => 1 } as unknown as Payload);
      expect(refused).to.have.length(1);
      expect(refused[0]).to.be.instanceOf(UnportablePayloadError);
      expect(await consumer.send(fixture.signal, { n: 2 })).to.deep.equal([]);
      await waitFor('the portable message', () => received.length === 1);
      await delay(200);
      expect(received).to.deep.equal([{ n: 2 }]);
    });
  });
}
