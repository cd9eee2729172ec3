import { expect } from 'chai';
import { OutboxRelay, type OutboxMessage, type OutboxStore } from '../../../src/signals/outbox/index.js';
import { MemoryLogger, waitFor } from '../brokers/support/waiting.js';

/** An outbox in memory, whose age of the oldest row can be set. */
class MemoryOutbox implements OutboxStore {
  readonly rows: OutboxMessage[] = [];
  oldestAge: number | undefined;

  write(_executor: unknown, message: OutboxMessage): Promise<void> {
    this.rows.push(message);
    return Promise.resolve();
  }

  async relay(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    const batch = this.rows.slice(0, limit);
    if (batch.length === 0) return 0;
    await publish(batch);
    this.rows.splice(0, batch.length);
    return batch.length;
  }

  oldestAgeMs(): Promise<number | undefined> {
    return Promise.resolve(this.rows.length === 0 ? undefined : this.oldestAge);
  }

  pendingCount(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
}

const message = (n: number): OutboxMessage => ({ id: `m${n}`, signal: 's', json: '{}' });

describe('OutboxRelay', () => {
  let relay: OutboxRelay | undefined;
  afterEach(() => relay?.stop());

  it('when notified of a commit, then it publishes at once rather than at the next poll', async () => {
    const store = new MemoryOutbox();
    const published: string[] = [];
    relay = new OutboxRelay({ store, logger: new MemoryLogger(), pollIntervalMs: 60_000, publish: (batch) => Promise.resolve(void published.push(...batch.map((m) => m.id))) });
    relay.start();
    await waitFor('the first, empty round', () => true);
    await store.write(undefined, message(1));
    const notifiedAt = Date.now();
    relay.notify();
    await waitFor('the message', () => published.length === 1, 1000);
    expect(Date.now() - notifiedAt).to.be.below(200);
  });

  it('when there are more rows than a batch, then it publishes them all, batch after batch', async () => {
    const store = new MemoryOutbox();
    for (let n = 0; n < 25; n++) await store.write(undefined, message(n));
    const batches: number[] = [];
    relay = new OutboxRelay({ store, logger: new MemoryLogger(), batchSize: 10, publish: (batch) => Promise.resolve(void batches.push(batch.length)) });
    relay.start();
    await waitFor('every row', () => store.rows.length === 0);
    expect(batches).to.deep.equal([10, 10, 5]);
  });

  it('when publishing fails, then it retries with backoff, warns once and says when it publishes again', async () => {
    const store = new MemoryOutbox();
    await store.write(undefined, message(1));
    const logger = new MemoryLogger();
    let calls = 0;
    const publish = (): Promise<void> => (++calls < 4 ? Promise.reject(new Error('broker down')) : Promise.resolve());
    relay = new OutboxRelay({ store, logger, publish, retryBaseDelayMs: 10, retryMaxDelayMs: 20 });
    relay.start();
    await waitFor('the row to go out', () => store.rows.length === 0);
    expect(calls).to.equal(4);
    expect(logger.lines.map((line) => `${line.level}: ${line.message}`)).to.deep.equal([
      'warn: The outbox relay could not publish; retrying with backoff: broker down',
      'info: The outbox relay publishes again after 3 failed attempts',
    ]);
  });

  it('when the oldest row has waited past lagWarningMs, then it warns with the lag', async () => {
    const store = new MemoryOutbox();
    await store.write(undefined, message(1));
    store.oldestAge = 90_000;
    const logger = new MemoryLogger();
    relay = new OutboxRelay({ store, logger, lagWarningMs: 30_000, retryBaseDelayMs: 10, publish: () => Promise.reject(new Error('down')) });
    relay.start();
    await waitFor('the lag warning', () => logger.lines.some((line) => line.message.includes('waited 90 s')));
  });

  it('when stopped, then notify does not start it again', async () => {
    const store = new MemoryOutbox();
    const published: string[] = [];
    relay = new OutboxRelay({ store, logger: new MemoryLogger(), publish: (batch) => Promise.resolve(void published.push(...batch.map((m) => m.id))) });
    relay.start();
    await relay.stop();
    await store.write(undefined, message(1));
    relay.notify();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(published).to.deep.equal([]);
  });
});
