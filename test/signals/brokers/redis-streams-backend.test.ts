import { expect } from 'chai';
import { createClient } from 'redis';
import { useBrokerFixture } from './support/broker-fixture.js';
import { redisBroker } from './support/brokers.js';
import { describeConsuming } from './support/consuming-suite.js';
import { describeSending } from './support/sending-suite.js';
import { REDIS_URL } from './support/services.js';
import { delay, MemoryLogger, waitFor } from './support/waiting.js';

describe('RedisStreamsBackend', function () {
  this.timeout(20_000);
  describeSending(redisBroker);
  describeConsuming(redisBroker);

  describe('the consumer connection', () => {
    const fixture = useBrokerFixture(redisBroker);
    const admin = createClient({ url: REDIS_URL });

    before(async () => {
      await admin.connect();
    });
    after(async () => {
      if (admin.isOpen) await admin.close();
    });

    /** The ids of this test's reader connections that are blocked in XREADGROUP. */
    async function blockedReaders(): Promise<string[]> {
      const list = await admin.sendCommand<string>(['CLIENT', 'LIST']);
      return list
        .split('\n')
        .filter((line) => line.includes(`name=${fixture.prefix}stream:`) && line.includes('cmd=xreadgroup'))
        .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? '');
    }

    /** A consuming backend whose receiver records what it handled. */
    async function consumer(url = REDIS_URL, logger = new MemoryLogger()): Promise<number[]> {
      const backend = fixture.backend({ consume: true, url, logger });
      const handled: number[] = [];
      backend.connect(fixture.signal, function sendWelcomeEmail(payload) {
        handled.push(payload.n);
      });
      await backend.whenConsuming();
      return handled;
    }

    it('when it is killed during a blocking read, then a later message is still processed within a few seconds', async () => {
      const handled = await consumer();
      await waitFor('the blocking read', async () => (await blockedReaders()).length === 1);
      const [readerId = ''] = await blockedReaders();
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', readerId]);
      expect(await fixture.backend().send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the message after the kill', () => handled.length === 1, 5000);
      expect(handled).to.deep.equal([1]);
      expect(await blockedReaders()).to.not.include(readerId);
    });

    it('when a blocking read hangs, then the watchdog replaces the connection and a later message is processed', async () => {
      const proxy = await fixture.proxy();
      const logger = new MemoryLogger();
      const handled = await consumer(proxy.url(REDIS_URL), logger);
      proxy.swallowNextRead();
      await waitFor('a read to hang', () => proxy.swallowed);
      expect(await fixture.backend().send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the message after the hang', () => handled.length === 1, 8000);
      expect(logger.lines.some((line) => line.message.includes('hung'))).to.equal(true);
    });
  });

  describe('claims and trimming', () => {
    const fixture = useBrokerFixture(redisBroker);
    const admin = createClient({ url: REDIS_URL });
    const stream = (): string => `${fixture.prefix}stream:${fixture.signal.name}`;

    before(async () => {
      await admin.connect();
    });
    after(async () => {
      if (admin.isOpen) await admin.close();
    });

    it('when a worker dies holding a message, then a worker with the default timings takes it over within 20 s', async function () {
      this.timeout(40_000);
      const crashing = fixture.consumerProcess('hang', ['sendWelcomeEmail']);
      await crashing.ready();
      expect(await fixture.backend().send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the first worker to receive it', () => crashing.messages('received').length === 1);
      await crashing.kill();
      const killedAt = Date.now();
      const handled: number[] = [];
      // The backend's own defaults, not the test's short ones.
      const survivor = fixture.backend({ consume: true, claimIdleMs: undefined, reclaimIntervalMs: undefined, blockMs: undefined });
      survivor.connect(fixture.signal, function sendWelcomeEmail({ n }) {
        handled.push(n);
      });
      await waitFor('the survivor to process it', () => handled.length === 1, 25_000);
      expect(Date.now() - killedAt).to.be.below(20_000);
    });

    it('when a receiver runs longer than claimIdleMs, then it keeps its message and no other worker runs it', async () => {
      const runs: string[] = [];
      for (const worker of ['a', 'b']) {
        const backend = fixture.backend({ consume: true, claimIdleMs: 300, reclaimIntervalMs: 50, blockMs: 100 });
        backend.connect(fixture.signal, async function sendWelcomeEmail() {
          runs.push(worker);
          await delay(1500);
        });
        await backend.whenConsuming();
      }
      expect(await fixture.backend().send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the receiver to start', () => runs.length === 1);
      await delay(2000);
      expect(runs).to.have.length(1);
    });

    it('when every group has acknowledged the entries, then the stream is trimmed, and an entry still pending stays', async () => {
      const timing = { consume: true, trimIntervalMs: 100, blockMs: 100 } as const;
      const quick = fixture.backend(timing);
      quick.connect(fixture.signal, function sendWelcomeEmail() {});
      let release: () => void = () => undefined;
      const slow = fixture.backend(timing);
      slow.connect(fixture.signal, async function recordAudit({ n }) {
        if (n === 3) await new Promise<void>((resolve) => (release = resolve));
      });
      await Promise.all([quick.whenConsuming(), slow.whenConsuming()]);
      try {
        for (const n of [1, 2, 3, 4]) expect(await fixture.backend().send(fixture.signal, { n })).to.deep.equal([]);
        const ids = (await admin.xRange(stream(), '-', '+')).map((entry) => entry.id);
        const [, , pendingId] = ids;
        await waitFor('the trim up to the pending entry', async () => (await admin.xLen(stream())) === 2);
        expect((await admin.xRange(stream(), '-', '+'))[0]?.id).to.equal(pendingId);
      } finally {
        release();
      }
      await waitFor('the trim of the rest', async () => (await admin.xLen(stream())) <= 1);
    });
  });
});
