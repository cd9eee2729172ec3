import { expect } from 'chai';
import { sql } from 'kysely';
import { inTransaction } from '../../../src/db/transaction.js';
import { KyselyOutboxStore, type OutboxMessage } from '../../../src/signals/outbox/index.js';
import { describeOnEachDatabase } from '../../support/databases.js';

const message = (n: number): OutboxMessage => ({ id: `msg-${n}`, signal: 'user.created', json: JSON.stringify({ n }) });

describeOnEachDatabase('KyselyOutboxStore', (connection) => {
  const store = () => new KyselyOutboxStore({ db: connection().db, dialect: connection().dialect });
  const rowCount = async (): Promise<number> =>
    Number((await sql<{ count: number | string }>`select count(*) as count from signal_outbox`.execute(connection().db)).rows[0]?.count);
  const writeAll = (messages: OutboxMessage[]) =>
    inTransaction(connection().db, async (trx) => {
      for (const each of messages) await store().write(trx, each);
    });

  it('when messages are relayed, then publish gets them in the order written and they are removed', async () => {
    await writeAll([1, 2, 3].map(message));
    const published: OutboxMessage[][] = [];
    const publish = (batch: OutboxMessage[]): Promise<void> => Promise.resolve(void published.push(batch));
    expect(await store().relay(2, publish)).to.equal(2);
    expect(await store().relay(2, publish)).to.equal(1);
    expect(await store().relay(2, publish)).to.equal(0);
    expect(published.map((batch) => batch.map((each) => each.id))).to.deep.equal([['msg-1', 'msg-2'], ['msg-3']]);
    expect(published[0]?.[0]).to.deep.equal(message(1));
    expect(await rowCount()).to.equal(0);
  });

  it('when publish rejects, then the batch stays for the next try', async () => {
    await writeAll([message(1)]);
    const failing = store().relay(10, () => Promise.reject(new Error('broker down')));
    expect(await failing.catch((error: unknown) => error)).to.have.property('message', 'broker down');
    expect(await rowCount()).to.equal(1);
    expect(await store().oldestAgeMs()).to.be.a('number').that.is.at.least(0);
  });

  it('when the writing transaction rolls back, then no row remains', async () => {
    const failing = inTransaction(connection().db, async (trx) => {
      await store().write(trx, message(1));
      throw new Error('rule broken');
    });
    await failing.catch(() => undefined);
    expect(await rowCount()).to.equal(0);
    expect(await store().oldestAgeMs()).to.equal(undefined);
  });

  it('when two relays drain one outbox at once, then every message is published exactly once', async () => {
    await writeAll(Array.from({ length: 120 }, (_, n) => message(n)));
    const published: string[] = [];
    const publish = async (batch: OutboxMessage[]): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      published.push(...batch.map((each) => each.id));
    };
    const drain = async (): Promise<void> => {
      while ((await store().relay(10, publish)) > 0);
    };
    await Promise.all([drain(), drain()]);
    // SQLite has one writer and no row locks: there a message may go out twice (receivers de-duplicate).
    if (connection().dialect === 'postgres') expect(published).to.have.length(120);
    expect(new Set(published).size).to.equal(120);
    expect(await rowCount()).to.equal(0);
  });

  it('when the executor is not a Kysely transaction, then write throws a TypeError', async () => {
    const error: unknown = await store().write({}, message(1)).catch((thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(TypeError);
  });
});
