import { expect } from 'chai';
import { createClient } from 'redis';
import { useBrokerFixture } from './support/broker-fixture.js';
import { redisBroker } from './support/brokers.js';
import { describeConsuming } from './support/consuming-suite.js';
import { describeSending } from './support/sending-suite.js';
import { REDIS_URL } from './support/services.js';
import { MemoryLogger, waitFor } from './support/waiting.js';

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
});
