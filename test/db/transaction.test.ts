import { expect } from 'chai';
import { sql } from 'kysely';
import type { DatabaseConnection } from '../../src/db/connection.js';
import { inTransaction } from '../../src/db/transaction.js';
import { RecordingBackend, Signal, withBackend } from '../../src/signals/index.js';
import { describeOnEachDatabase } from '../support/databases.js';

const noted = new Signal<{ text: string }>('test.noted');

describeOnEachDatabase('inTransaction()', (connection: () => DatabaseConnection) => {
  const note = (db: DatabaseConnection['db'], text: string) =>
    sql`insert into audit_events (signal, entity, entity_id, data, created_at) values ('note', 'user', 1, ${text}, '')`.execute(db);
  const notes = async (): Promise<string[]> =>
    (await sql<{ data: string }>`select data from audit_events order by id`.execute(connection().db)).rows.map((row) => row.data);

  it('when the work succeeds, then the writes commit and the signals follow, after the commit', async () => {
    const recorder = new RecordingBackend();
    await withBackend(recorder, () =>
      inTransaction(connection().db, async (trx) => {
        await note(trx, 'a');
        await noted.send({ text: 'a' });
        expect(recorder.dispatched).to.deep.equal([]);
      }),
    );
    expect(await notes()).to.deep.equal(['a']);
    expect(recorder.payloadsOf(noted)).to.deep.equal([{ text: 'a' }]);
  });

  it('when the work throws, then nothing is written and nothing is sent', async () => {
    const recorder = new RecordingBackend();
    const failing = withBackend(recorder, () =>
      inTransaction(connection().db, async (trx) => {
        await note(trx, 'a');
        await noted.send({ text: 'a' });
        throw new Error('rule broken');
      }),
    );
    expect(await failing.catch((error: unknown) => error)).to.have.property('message', 'rule broken');
    expect(await notes()).to.deep.equal([]);
    expect(recorder.dispatched).to.deep.equal([]);
  });

  it('when a nested call fails and the caller goes on, then only the nested writes and signals are undone', async () => {
    const recorder = new RecordingBackend();
    await withBackend(recorder, () =>
      inTransaction(connection().db, async (trx) => {
        await note(trx, 'outer');
        await noted.send({ text: 'outer' });
        const nested = inTransaction(connection().db, async (inner) => {
          await note(inner, 'inner');
          await noted.send({ text: 'inner' });
          throw new Error('nested rule broken');
        });
        expect(await nested.catch((error: unknown) => error)).to.have.property('message', 'nested rule broken');
        await note(trx, 'after');
      }),
    );
    expect(await notes()).to.deep.equal(['outer', 'after']);
    expect(recorder.payloadsOf(noted)).to.deep.equal([{ text: 'outer' }]);
  });

  it('when a nested call succeeds, then its writes and signals commit with the outer transaction', async () => {
    const recorder = new RecordingBackend();
    await withBackend(recorder, () =>
      inTransaction(connection().db, async (trx) => {
        await inTransaction(connection().db, async (inner) => {
          await note(inner, 'inner');
          await noted.send({ text: 'inner' });
        });
        expect(recorder.dispatched).to.deep.equal([]);
        await note(trx, 'outer');
      }),
    );
    expect(await notes()).to.deep.equal(['inner', 'outer']);
    expect(recorder.payloadsOf(noted)).to.deep.equal([{ text: 'inner' }]);
  });
});
