import { expect } from 'chai';
import { sql } from 'kysely';
import { connectDatabase } from '../../src/db/connection.js';
import { createLogger } from '../../src/logger.js';
import { runWithRequestContext } from '../../src/middleware/request-context.js';
import { RabbitMQBackend, RedisStreamsBackend, type BrokerBackend } from '../../src/signals/brokers/index.js';
import { OutboxRelay, type OutboxStore } from '../../src/signals/outbox/index.js';
import { useBrokerFixture } from '../signals/brokers/support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from '../signals/brokers/support/brokers.js';
import { waitFor } from '../signals/brokers/support/waiting.js';
import { postgresTarget, requireDatabase, TEST_DATABASE_URL } from '../support/databases.js';
import { MemoryTransport } from '../support/memory-transport.js';
import { TcpProxy } from '../support/tcp-proxy.js';

// A connection, pool, consumer or relay opened while a request is being served outlives it:
// its later log lines must not carry that request's id.
describe('long-lived resources opened during a request', function () {
  this.timeout(20_000);

  function appLogger(): { logs: MemoryTransport; logger: ReturnType<typeof createLogger> } {
    const logs = new MemoryTransport();
    return { logs, logger: createLogger({ level: 'debug', transports: [logs] }) };
  }

  const requestIdsOf = (logs: MemoryTransport, level: string): unknown[] => logs.at(level).map((entry) => entry.requestId);

  for (const broker of [redisBroker, rabbitBroker] as TestBroker[]) {
    describe(`the ${broker.name} connection`, () => {
      const fixture = useBrokerFixture(broker);

      it('when the first request opened it and it drops later, then the warnings carry no request id', async () => {
        const proxy = await fixture.proxy();
        const { logs, logger } = appLogger();
        const url = proxy.url(broker.url);
        const options = { url, logger, prefix: fixture.prefix, sendTimeoutMs: 3000 };
        const backend: BrokerBackend = broker.name === 'redis' ? new RedisStreamsBackend(options) : new RabbitMQBackend(options);
        // The fixture's signal and receiver names: its cleanup removes the queue this declares.
        const signal = fixture.signal;
        backend.connect(signal, function sendWelcomeEmail() {});
        try {
          const errors = await runWithRequestContext({ requestId: 'req-first' }, () => backend.send(signal, { n: 1 }));
          expect(errors).to.deep.equal([]);

          await proxy.down();
          await waitFor('a warning about the dropped connection', () => logs.at('warn').length > 0);
          expect(requestIdsOf(logs, 'warn')).to.deep.equal(logs.at('warn').map(() => undefined));
        } finally {
          await backend.close();
          await proxy.up();
        }
      });
    });
  }

  describe('a PostgreSQL pool client', () => {
    const target = postgresTarget();
    before(requireDatabase(target, 'request context of pool clients'));

    it('when a request opened it and the server drops it while idle, then the warning carries no request id', async () => {
      const proxy = new TcpProxy(TEST_DATABASE_URL ?? '');
      await proxy.up();
      const { logs, logger } = appLogger();
      const { db } = connectDatabase({ kind: 'postgres', url: proxy.url(TEST_DATABASE_URL ?? '') }, { logger });
      try {
        await runWithRequestContext({ requestId: 'req-first' }, () => sql`select 1`.execute(db));
        await proxy.down();
        await waitFor('a warning about the dropped client', () => logs.at('warn').length > 0);
        expect(requestIdsOf(logs, 'warn')).to.deep.equal(logs.at('warn').map(() => undefined));
      } finally {
        await db.destroy();
      }
    });
  });

  describe('the outbox relay', () => {
    it('when the first commit of a request starts it, then its later warnings carry no request id', async () => {
      const { logs, logger } = appLogger();
      let failing = false;
      const relayBatch: OutboxStore['relay'] = async (_batchSize, publish) => {
        if (failing) await publish([]);
        return 0;
      };
      const store = { relay: relayBatch, oldestAgeMs: () => Promise.resolve(undefined) } as unknown as OutboxStore;
      const relay = new OutboxRelay({
        store,
        logger,
        pollIntervalMs: 20,
        publish: () => Promise.reject(new Error('the broker is down')),
      });
      try {
        runWithRequestContext({ requestId: 'req-first' }, () => relay.notify());
        failing = true;
        await waitFor('the relay to warn', () => logs.at('warn').length > 0);
        expect(requestIdsOf(logs, 'warn')).to.deep.equal([undefined]);
      } finally {
        await relay.stop();
      }
    });
  });
});
