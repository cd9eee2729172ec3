import { expect } from 'chai';
import { createClient } from 'redis';
import type { BrokerBackend } from '../../../src/signals/brokers/index.js';
import { Signal } from '../../../src/signals/index.js';
import { createTestBackend, redisBroker } from './support/brokers.js';
import { describeReliability } from './support/reliability-suite.js';
import { REDIS_URL, requireServer } from './support/services.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { MemoryLogger, uniquePrefix, waitFor } from './support/waiting.js';

describe('RedisStreamsBackend', function () {
  this.timeout(20_000);
  describeReliability(redisBroker);

  describe('the consumer connection', () => {
    const admin = createClient({ url: REDIS_URL });
    let prefix: string;
    let backend: BrokerBackend | undefined;
    let proxy: TcpProxy | undefined;

    before(requireServer('redis', REDIS_URL));
    before(async () => {
      await admin.connect();
    });
    after(async () => {
      if (admin.isOpen) await admin.close();
    });
    beforeEach(() => {
      prefix = uniquePrefix(':');
    });
    afterEach(async () => {
      try {
        await backend?.close();
        await proxy?.down();
      } finally {
        backend = proxy = undefined;
        await redisBroker.cleanup(prefix, 'user.created', []);
      }
    });

    /** The ids of this test's reader connections that are blocked in XREADGROUP. */
    async function blockedReaders(): Promise<string[]> {
      const list = await admin.sendCommand<string>(['CLIENT', 'LIST']);
      return list
        .split('\n')
        .filter((line) => line.includes(`name=${prefix}stream:`) && line.includes('cmd=xreadgroup'))
        .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? '');
    }

    it('when it is killed during a blocking read, then a later message is still processed within a few seconds', async () => {
      backend = createTestBackend('redis', prefix, { consume: true });
      const signal = new Signal<{ n: number }>('user.created');
      const handled: number[] = [];
      backend.connect(signal, function sendWelcomeEmail(payload) {
        handled.push(payload.n);
      });
      await backend.whenConsuming();
      await waitFor('the blocking read', async () => (await blockedReaders()).length === 1);
      const [readerId = ''] = await blockedReaders();
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', readerId]);
      expect(await backend.send(signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the message after the kill', () => handled.length === 1, 5000);
      expect(handled).to.deep.equal([1]);
      expect(await blockedReaders()).to.not.include(readerId);
    });

    it('when a blocking read hangs, then the watchdog replaces the connection and a later message is processed', async () => {
      proxy = new TcpProxy(REDIS_URL);
      await proxy.up();
      const logger = new MemoryLogger();
      backend = createTestBackend('redis', prefix, { consume: true, url: proxy.url(REDIS_URL), logger });
      const signal = new Signal<{ n: number }>('user.created');
      const handled: number[] = [];
      backend.connect(signal, function sendWelcomeEmail(payload) {
        handled.push(payload.n);
      });
      await backend.whenConsuming();
      proxy.swallowNextRead();
      await waitFor('a read to hang', () => proxy?.swallowed === true);
      const sender = createTestBackend('redis', prefix);
      expect(await sender.send(signal, { n: 1 })).to.deep.equal([]);
      await sender.close();
      await waitFor('the message after the hang', () => handled.length === 1, 8000);
      expect(logger.lines.some((line) => line.message.includes('hung'))).to.equal(true);
    });
  });
});
