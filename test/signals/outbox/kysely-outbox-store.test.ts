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

  it('when messages wait, then pendingCount() counts them, claimed or not, and 0 once they are relayed', async () => {
    expect(await store().pendingCount()).to.equal(0);
    await writeAll([1, 2, 3].map(message));
    expect(await store().pendingCount()).to.equal(3);
    let duringPublish = -1;
    await store().relay(2, async () => {
      duringPublish = await store().pendingCount();
    });
    expect(duringPublish).to.equal(3);
    expect(await store().pendingCount()).to.equal(1);
    await store().relay(10, () => Promise.resolve());
    expect(await store().pendingCount()).to.equal(0);
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
    expect(published).to.have.length(120);
    expect(new Set(published).size).to.equal(120);
    expect(await rowCount()).to.equal(0);
  });

  it('when a relay died holding a claim (SQLite) or a lock (PostgreSQL), then another relay publishes the rows', async () => {
    await writeAll([message(1)]);
    let hangUp: () => void = () => undefined;
    const hanging = store().relay(10, () => new Promise<void>((_, reject) => (hangUp = () => reject(new Error('gone')))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const published: string[] = [];
    const survivor = store();
    if (connection().dialect === 'sqlite') {
      // The claim expires after 5 s: a relay that died holds it no longer than that.
      await sql`update signal_outbox set claimed = 0`.execute(connection().db);
      expect(await survivor.relay(10, (batch) => Promise.resolve(void published.push(...batch.map((m) => m.id))))).to.equal(1);
      expect(published).to.deep.equal(['msg-1']);
    } else {
      // Its transaction still holds the row: SKIP LOCKED passes over it rather than waiting.
      expect(await survivor.relay(10, (batch) => Promise.resolve(void published.push(...batch.map((m) => m.id))))).to.equal(0);
    }
    hangUp();
    await hanging.catch(() => undefined);
  });

  it('when the executor is not a Kysely transaction, then write throws a TypeError', async () => {
    const error: unknown = await store().write({}, message(1)).catch((thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(TypeError);
  });
});
