import { expect } from 'chai';
import { sql } from 'kysely';
import type { DatabaseConnection } from '../../../src/db/connection.js';
import { inTransaction } from '../../../src/db/transaction.js';
import type { BrokerBackend } from '../../../src/signals/brokers/index.js';
import { withBackend, type Signal } from '../../../src/signals/index.js';
import { KyselyOutboxStore } from '../../../src/signals/outbox/index.js';
import { openMemoryDatabase } from '../../support/database.js';
import { useBrokerFixture, type Payload } from '../brokers/support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from '../brokers/support/brokers.js';
import { delay, waitFor } from '../brokers/support/waiting.js';

for (const broker of [redisBroker, rabbitBroker]) describeOutbox(broker);

function describeOutbox(broker: TestBroker): void {
  describe(`the outbox on ${broker.name}`, function () {
    this.timeout(30_000);
    const fixture = useBrokerFixture(broker);
    let database: DatabaseConnection;

    beforeEach(async () => {
      database = await openMemoryDatabase();
    });
    afterEach(() => database.db.destroy());

    const outbox = () => ({
      store: new KyselyOutboxStore({ db: database.db, dialect: database.dialect }),
      pollIntervalMs: 100,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 200,
    });
    const outboxRows = async (): Promise<number> =>
      Number((await sql<{ count: number }>`select count(*) as count from signal_outbox`.execute(database.db)).rows[0]?.count);
    /** A consuming backend whose receiver records what it gets. */
    const consumer = async (signal: Signal<Payload>, name = 'sendWelcomeEmail'): Promise<number[]> => {
      const received: number[] = [];
      const backend = fixture.backend({ consume: true });
      backend.connect(signal, ({ n }) => void received.push(n), { name });
      await backend.whenConsuming();
      return received;
    };
    /** Sends `ns` from `sender`, one transaction each, as services do. */
    const sendCommitted = (sender: BrokerBackend, signal: Signal<Payload>, ns: number[]) =>
      withBackend(sender, async () => {
        for (const n of ns) await inTransaction(database.db, async () => void (await signal.send({ n })));
      });

    it('when the broker is unreachable while writes commit, then each signal is delivered once after it comes back', async () => {
      const received = await consumer(fixture.signal);
      const proxy = await fixture.proxy();
      const sender = fixture.backend({ url: proxy.url(broker.url), outbox: outbox() });
      await proxy.down();
      await sendCommitted(sender, fixture.signal, [1, 2, 3, 4, 5]);
      expect(await outboxRows()).to.equal(5);
      await proxy.up();
      await waitFor('the five signals', () => received.length >= 5, 15_000);
      await delay(300);
      expect([...received].sort()).to.deep.equal([1, 2, 3, 4, 5]);
      expect(await outboxRows()).to.equal(0);
    });

    it('when the transaction rolls back, then nothing is published and no row remains', async () => {
      const received = await consumer(fixture.signal);
      const sender = fixture.backend({ outbox: outbox() });
      const failing = withBackend(sender, () =>
        inTransaction(database.db, async () => {
          await fixture.signal.send({ n: 1 });
          throw new Error('rule broken');
        }),
      );
      await failing.catch(() => undefined);
      await sendCommitted(sender, fixture.signal, [2]);
      await waitFor('the committed signal', () => received.length >= 1);
      await delay(200);
      expect(received).to.deep.equal([2]);
      expect(await outboxRows()).to.equal(0);
    });

    it('when the sender starts before any worker, then what it sends meanwhile reaches the worker', async () => {
      const sender = fixture.backend({ outbox: outbox() });
      sender.connect(fixture.signal, function sendWelcomeEmail() {});
      await sendCommitted(sender, fixture.signal, [1, 2, 3]);
      await waitFor('the outbox to be relayed', async () => (await outboxRows()) === 0);
      const received = await consumer(fixture.signal);
      await waitFor('the three signals', () => received.length >= 3);
      expect(received).to.deep.equal([1, 2, 3]);
    });

    it('when a receiver is connected for the first time, then it gets what is sent from then on, not the history', async () => {
      await consumer(fixture.signal, 'sendWelcomeEmail');
      const sender = fixture.backend({ outbox: outbox() });
      await sendCommitted(sender, fixture.signal, [1, 2]);
      await waitFor('the outbox to be relayed', async () => (await outboxRows()) === 0);
      const late = await consumer(fixture.signal, 'recordAudit');
      await sendCommitted(sender, fixture.signal, [3]);
      await waitFor('the new receiver', () => late.length >= 1);
      await delay(200);
      expect(late).to.deep.equal([3]);
    });
  });
}
