import { expect } from 'chai';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connection.js';
import { HandledMessageService } from '../../src/services/handled-message.service.js';
import { RabbitMQBackend, RedisStreamsBackend } from '../../src/signals/brokers/index.js';
import { InProcessBackend, MAX_TIMER_DELAY_MS, Signal } from '../../src/signals/index.js';
import { OutboxRelay } from '../../src/signals/outbox/index.js';
import type { OutboxStore } from '../../src/signals/outbox/index.js';
import { useBrokerFixture } from './brokers/support/broker-fixture.js';
import { redisBroker } from './brokers/support/brokers.js';
import { MemoryLogger } from './brokers/support/waiting.js';
import { sql } from 'kysely';
import { postgresTarget, requireDatabase } from '../support/databases.js';

// Node runs a timer longer than 2^31 − 1 ms after 1 ms. Every duration is refused past that,
// with an error naming it, or honoured.
const TOO_LONG = MAX_TIMER_DELAY_MS + 1;

describe('durations longer than a Node timer can wait', () => {
  describe('InProcessBackend', () => {
    it('when receiverTimeoutMs is 2^31 ms, then the constructor refuses it by name', () => {
      expect(() => new InProcessBackend({ receiverTimeoutMs: TOO_LONG })).to.throw(RangeError, /receiverTimeoutMs.*2147483647/);
    });

    it('when receiverTimeoutMs is the longest timer, then a 50 ms receiver finishes without a timeout', async () => {
      const backend = new InProcessBackend({ receiverTimeoutMs: MAX_TIMER_DELAY_MS });
      const signal = new Signal<{ n: number }>('durations.slow');
      let finished = false;
      backend.connect(signal, async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
      });
      expect(await backend.send(signal, { n: 1 })).to.deep.equal([]);
      expect(finished).to.equal(true);
    });

    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`when receiverTimeoutMs is ${bad}, then the constructor refuses it by name`, () => {
        expect(() => new InProcessBackend({ receiverTimeoutMs: bad })).to.throw(RangeError, /receiverTimeoutMs/);
      });
    }
  });

  describe('the broker backends', () => {
    const redisOptions = ['retryBaseDelayMs', 'retryMaxDelayMs', 'sendTimeoutMs', 'blockMs', 'readTimeoutMarginMs', 'claimIdleMs', 'reclaimIntervalMs', 'trimIntervalMs'];
    for (const option of redisOptions) {
      it(`when RedisStreamsBackend's ${option} is 2^31 ms, then the constructor refuses it by name`, () => {
        expect(() => new RedisStreamsBackend({ [option]: TOO_LONG })).to.throw(RangeError, new RegExp(`^${option} `));
      });
    }

    for (const option of ['retryBaseDelayMs', 'retryMaxDelayMs', 'sendTimeoutMs']) {
      it(`when RabbitMQBackend's ${option} is 2^31 ms, then the constructor refuses it by name`, () => {
        expect(() => new RabbitMQBackend({ [option]: TOO_LONG })).to.throw(RangeError, new RegExp(`^${option} `));
      });
    }

    it('when a count is not a whole number, then the constructor refuses it by name', () => {
      expect(() => new RedisStreamsBackend({ batchSize: 1.5 })).to.throw(RangeError, /^batchSize /);
      expect(() => new RedisStreamsBackend({ maxStreamLength: 0 })).to.throw(RangeError, /^maxStreamLength /);
      expect(() => new RabbitMQBackend({ prefetch: 2.5 })).to.throw(RangeError, /^prefetch /);
    });

    for (const option of ['pollIntervalMs', 'retryBaseDelayMs', 'retryMaxDelayMs', 'lagWarningMs']) {
      it(`when the outbox relay's ${option} is 2^31 ms, then the backend refuses it by name`, () => {
        const store = {} as OutboxStore;
        expect(() => new RedisStreamsBackend({ outbox: { store, [option]: TOO_LONG } })).to.throw(RangeError, new RegExp(`^${option} `));
        expect(() => new OutboxRelay({ store, publish: () => Promise.resolve(), logger: new MemoryLogger(), [option]: TOO_LONG })).to.throw(
          RangeError,
          new RegExp(`^${option} `),
        );
      });
    }

    describe('on a live Redis', () => {
      const fixture = useBrokerFixture(redisBroker);

      it('when sendTimeoutMs is the longest timer, then a send is published and received', async () => {
        const consumer = fixture.backend({ consume: true });
        const received: number[] = [];
        consumer.connect(fixture.signal, function sendWelcomeEmail(payload) {
          received.push(payload.n);
        });
        await consumer.whenConsuming();
        const sender = fixture.backend({ sendTimeoutMs: MAX_TIMER_DELAY_MS });
        sender.connect(fixture.signal, function sendWelcomeEmail() {});

        expect(await sender.send(fixture.signal, { n: 7 })).to.deep.equal([]);
        for (let waited = 0; received.length === 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(received).to.deep.equal([7]);
      });
    });
  });

  describe('the app', () => {
    const durationVariables = CONFIG_VARIABLES.filter((name) => name.endsWith('_MS'));

    it('has duration variables to check', () => {
      expect(durationVariables).to.include.members(['RECEIVER_TIMEOUT_MS', 'SHUTDOWN_TIMEOUT_MS', 'DATABASE_BUSY_TIMEOUT_MS']);
    });

    for (const name of durationVariables) {
      it(`when ${name}=2147483648, then loading the config fails naming it; 2147483647 is accepted`, () => {
        expect(() => loadConfig({ [name]: String(TOO_LONG) })).to.throw(new RegExp(name));
        expect(() => loadConfig({ [name]: String(MAX_TIMER_DELAY_MS) })).not.to.throw();
      });
    }

    it('when RECEIVER_TIMEOUT_MS is the longest timer, then the config carries it as it is', () => {
      expect(loadConfig({ RECEIVER_TIMEOUT_MS: String(MAX_TIMER_DELAY_MS) }).receiverTimeoutMs).to.equal(MAX_TIMER_DELAY_MS);
    });

    it('when a database timeout passed in code is 2^31 ms, then connecting refuses it by name', () => {
      expect(() => connectDatabase({ kind: 'sqlite', filename: ':memory:' }, { timeouts: { busyMs: TOO_LONG } })).to.throw(
        RangeError,
        /^timeouts\.busyMs /,
      );
    });

    describe('on PostgreSQL', () => {
      const target = postgresTarget();
      before(requireDatabase(target, 'the longest statement timeout'));

      it('when the statement timeout is the longest timer, then queries still run (the settings derived from it are capped)', async () => {
        const database = await target.create();
        const { db } = connectDatabase(database.config, { ...database.postgres, timeouts: { statementMs: MAX_TIMER_DELAY_MS } });
        try {
          const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
          expect(rows).to.deep.equal([{ one: 1 }]);
        } finally {
          await db.destroy();
          await database.drop();
        }
      });
    });

    it("when the handled-message claim's TTL is 2^31 ms, then the service refuses it by name", () => {
      const deps = { db: {}, handled: {} } as unknown as ConstructorParameters<typeof HandledMessageService>[0];
      expect(() => new HandledMessageService({ ...deps, claimTtlMs: TOO_LONG })).to.throw(RangeError, /^claimTtlMs /);
    });
  });
});
