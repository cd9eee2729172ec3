import { expect } from 'chai';
import type { DatabaseConnection } from '../src/db/connection.js';
import { inTransaction } from '../src/db/transaction.js';
import { createLogger } from '../src/logger.js';
import { SignalMetrics } from '../src/metrics.js';
import { RabbitMQBackend, RedisStreamsBackend } from '../src/signals/brokers/index.js';
import { InProcessBackend, Signal, withBackend } from '../src/signals/index.js';
import { KyselyOutboxStore } from '../src/signals/outbox/index.js';
import { useBrokerFixture } from './signals/brokers/support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from './signals/brokers/support/brokers.js';
import { waitFor } from './signals/brokers/support/waiting.js';
import { openMemoryDatabase } from './support/database.js';
import { MemoryTransport } from './support/memory-transport.js';
import { sampleValue, samplesNamed } from './support/prometheus.js';

function metricsFor(system: string, options: { readTimeoutMs?: number } = {}): { metrics: SignalMetrics; logs: MemoryTransport } {
  const logs = new MemoryTransport();
  return { metrics: new SignalMetrics({ system, logger: createLogger({ transports: [logs] }), ...options }), logs };
}

describe('SignalMetrics', () => {
  describe('on a broker that is down (no server needed)', () => {
    const unreachable = [
      ['redis', () => new RedisStreamsBackend({ url: 'redis://127.0.0.1:1', sendTimeoutMs: 300, logger: createLogger({ transports: [new MemoryTransport()] }) })],
      ['rabbitmq', () => new RabbitMQBackend({ url: 'amqp://guest:guest@127.0.0.1:1', sendTimeoutMs: 300, logger: createLogger({ transports: [new MemoryTransport()] }) })],
    ] as const;
    for (const [system, build] of unreachable) {
      it(`when ${system} is scraped twice, then each scrape answers within the read timeout, without the broker gauges, and it warns once`, async () => {
        const { metrics, logs } = metricsFor(system, { readTimeoutMs: 500 });
        const backend = build();
        backend.connect(new Signal<number>('user.created'), function sendWelcomeEmail() {});
        metrics.watch(backend);
        metrics.observers.onSent({ signalName: 'user.created', messageId: 'm1', error: undefined });
        try {
          for (let scrape = 1; scrape <= 2; scrape++) {
            const started = Date.now();
            const text = await metrics.render();
            expect(Date.now() - started).to.be.below(1500);
            expect(sampleValue(text, 'messaging_client_sent_messages_total', { messaging_system: system, messaging_operation_name: 'send', messaging_destination_name: 'user.created' })).to.equal(1);
            expect(samplesNamed(text, 'messaging_dead_letter_messages')).to.deep.equal([]);
            expect(samplesNamed(text, 'messaging_consumer_lag_messages')).to.deep.equal([]);
          }
          const warnings = logs.at('warn').map((entry) => entry.message);
          expect(warnings).to.have.length(2);
          expect(warnings[0]).to.match(/^Metrics: the dead-letter count could not be read; left out of the scrape: /);
          expect(warnings[1]).to.match(/^Metrics: the consumer lag could not be read; left out of the scrape: /);
        } finally {
          await backend.close();
        }
      });
    }
  });

  describe('watch()', () => {
    it('when the backend is in-process, then the scrape has no broker gauges', async () => {
      const { metrics } = metricsFor('memory');
      metrics.watch(new InProcessBackend());
      expect(await metrics.render()).not.to.match(/messaging_(dead_letter|consumer|outbox)_/);
    });
  });

  describe('collectProcessMetrics()', () => {
    it('when added, then the scrape has the Node process metrics too', async () => {
      const { metrics } = metricsFor('memory');
      metrics.collectProcessMetrics();
      const text = await metrics.render();
      expect(samplesNamed(text, 'process_cpu_seconds_total')).to.have.length(1);
      expect(samplesNamed(text, 'nodejs_eventloop_lag_seconds')).to.have.length(1);
    });
  });

  for (const broker of [redisBroker, rabbitBroker]) describeOnBroker(broker);
});

function describeOnBroker(broker: TestBroker): void {
  const system = broker.name;
  const destination = { messaging_system: system, messaging_destination_name: 'user.created' };
  const sent = { ...destination, messaging_operation_name: 'send' };
  const processed = (receiver: string, extra: Record<string, string> = {}) => ({ ...destination, messaging_operation_name: 'process', receiver, ...extra });
  const perReceiver = (receiver: string) => ({ ...destination, receiver });

  describe(`on ${broker.name}, with a consuming backend in this process`, function () {
    this.timeout(30_000);
    const fixture = useBrokerFixture(broker);

    it('when two messages are sent and one receiver fails both attempts, then the scrape counts sends, runs by outcome, durations and dead letters', async () => {
      const { metrics } = metricsFor(system);
      const consumer = fixture.backend({ consume: true, maxAttempts: 2, ...metrics.observers });
      const mailed: number[] = [];
      consumer.connect(fixture.signal, ({ n }) => void mailed.push(n), { name: 'sendWelcomeEmail' });
      consumer.connect(fixture.signal, function recordAudit() {
        throw new TypeError('audit table missing');
      });
      metrics.watch(consumer);
      await consumer.whenConsuming();
      const sender = fixture.backend({ ...metrics.observers });
      for (const n of [1, 2]) expect(await sender.send(fixture.signal, { n })).to.deep.equal([]);
      await waitFor('both dead letters', async () => (await consumer.deadLetterCount()) === 2 && mailed.length === 2, 10_000);
      const settled = async (): Promise<string> => {
        const text = await metrics.render();
        const lag = ['sendWelcomeEmail', 'recordAudit'].map((receiver) => sampleValue(text, 'messaging_consumer_lag_messages', perReceiver(receiver)));
        const pending = samplesNamed(text, 'messaging_consumer_pending_messages').map((sample) => sample.value);
        return lag.every((value) => value === 0) && pending.every((value) => value === 0) ? text : '';
      };
      let text = '';
      await waitFor('the acks', async () => (text = await settled()) !== '');

      expect(sampleValue(text, 'messaging_client_sent_messages_total', sent)).to.equal(2);
      const consumed = 'messaging_client_consumed_messages_total';
      expect(sampleValue(text, consumed, processed('sendWelcomeEmail', { outcome: 'success' }))).to.equal(2);
      expect(sampleValue(text, consumed, processed('recordAudit', { outcome: 'retry' }))).to.equal(2);
      expect(sampleValue(text, consumed, processed('recordAudit', { outcome: 'dead-lettered' }))).to.equal(2);
      expect(sampleValue(text, consumed, processed('recordAudit', { outcome: 'success' }))).to.equal(undefined);
      const durations = 'messaging_process_duration_seconds_count';
      expect(sampleValue(text, durations, processed('sendWelcomeEmail'))).to.equal(2);
      expect(sampleValue(text, durations, processed('recordAudit', { error_type: 'TypeError' }))).to.equal(4);
      expect(sampleValue(text, 'messaging_dead_letter_messages', { messaging_system: system })).to.equal(2);
      const pending = samplesNamed(text, 'messaging_consumer_pending_messages').map(({ labels, value }) => [labels.receiver, value]);
      expect(pending).to.deep.equal(system === 'redis' ? [['sendWelcomeEmail', 0], ['recordAudit', 0]] : []);
    });

    it('when three messages wait and no worker runs, then the lag gauge shows three for each receiver', async () => {
      const { metrics } = metricsFor(system);
      const sender = fixture.backend({ ...metrics.observers });
      sender.connect(fixture.signal, function sendWelcomeEmail() {});
      sender.connect(fixture.signal, function recordAudit() {});
      metrics.watch(sender);
      for (const n of [1, 2, 3]) expect(await sender.send(fixture.signal, { n })).to.deep.equal([]);
      const text = await metrics.render();
      expect(sampleValue(text, 'messaging_consumer_lag_messages', perReceiver('sendWelcomeEmail'))).to.equal(3);
      expect(sampleValue(text, 'messaging_consumer_lag_messages', perReceiver('recordAudit'))).to.equal(3);
      expect(sampleValue(text, 'messaging_dead_letter_messages', { messaging_system: system })).to.equal(0);
      expect(sampleValue(text, 'messaging_client_sent_messages_total', sent)).to.equal(3);
    });

    describe('with an outbox', () => {
      let database: DatabaseConnection;
      beforeEach(async () => {
        database = await openMemoryDatabase();
      });
      afterEach(() => database.db.destroy());

      it('when signals commit while the broker is unreachable, then the outbox gauges show them waiting, and once relayed they count as sent', async () => {
        const { metrics } = metricsFor(system, { readTimeoutMs: 500 });
        const proxy = await fixture.proxy();
        const store = new KyselyOutboxStore({ db: database.db, dialect: database.dialect });
        const outbox = { store, pollIntervalMs: 100, retryBaseDelayMs: 50, retryMaxDelayMs: 200 };
        const sender = fixture.backend({ url: proxy.url(broker.url), sendTimeoutMs: 500, outbox, ...metrics.observers });
        sender.connect(fixture.signal, function sendWelcomeEmail() {});
        metrics.watch(sender);
        await proxy.down();
        await withBackend(sender, async () => {
          for (const n of [1, 2]) await inTransaction(database.db, async () => void (await fixture.signal.send({ n })));
        });
        const refused = { ...sent, error_type: 'PublishError' };
        let waiting = '';
        await waitFor('the relay to try', async () => (sampleValue((waiting = await metrics.render()), 'messaging_client_sent_messages_total', refused) ?? 0) >= 2);
        expect(sampleValue(waiting, 'messaging_outbox_pending_messages', { messaging_system: system })).to.equal(2);
        expect(sampleValue(waiting, 'messaging_outbox_lag_seconds', { messaging_system: system })).to.be.above(0);
        expect(sampleValue(waiting, 'messaging_client_sent_messages_total', sent)).to.equal(undefined);

        await proxy.up();
        await waitFor('the relay', async () => (await store.pendingCount()) === 0, 15_000);
        const relayed = await metrics.render();
        expect(sampleValue(relayed, 'messaging_outbox_pending_messages', { messaging_system: system })).to.equal(0);
        expect(sampleValue(relayed, 'messaging_outbox_lag_seconds', { messaging_system: system })).to.equal(0);
        expect(sampleValue(relayed, 'messaging_client_sent_messages_total', sent)).to.equal(2);
        expect(sampleValue(relayed, 'messaging_consumer_lag_messages', perReceiver('sendWelcomeEmail'))).to.equal(2);
      });
    });
  });
}
