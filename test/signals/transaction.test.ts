import { expect } from 'chai';
import { InProcessBackend, RecordingBackend, Signal, SignalTransaction, withBackend } from '../../src/signals/index.js';

const placed = new Signal<{ id: number }>('test.placed');

describe('SignalTransaction', () => {
  it('when a signal is sent inside a transaction, then no receiver runs before committed()', async () => {
    const seen: number[] = [];
    await withBackend(new InProcessBackend(), async () => {
      placed.connect(({ id }) => void seen.push(id));
      const scope = new SignalTransaction('trx');
      const errors = await scope.run(() => placed.send({ id: 1 }));
      expect(errors).to.deep.equal([]);
      expect(seen).to.deep.equal([]);
      await scope.committed();
      expect(seen).to.deep.equal([1]);
    });
  });

  it('when the transaction rolls back, then nothing is sent', async () => {
    const recorder = new RecordingBackend();
    await withBackend(recorder, async () => {
      const scope = new SignalTransaction('trx');
      await scope.run(() => placed.send({ id: 1 }));
      scope.rolledBack();
    });
    expect(recorder.dispatched).to.deep.equal([]);
  });

  it('when a nested transaction commits, then its sends wait for the outermost commit, in order', async () => {
    const recorder = new RecordingBackend();
    await withBackend(recorder, async () => {
      const outer = new SignalTransaction('outer');
      await outer.run(async () => {
        await placed.send({ id: 1 });
        const inner = new SignalTransaction('savepoint');
        expect(inner.parent).to.equal(outer);
        await inner.run(() => placed.send({ id: 2 }));
        await inner.committed();
        await placed.send({ id: 3 });
      });
      expect(recorder.payloadsOf(placed)).to.deep.equal([]);
      await outer.committed();
    });
    expect(recorder.payloadsOf(placed)).to.deep.equal([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('when a nested transaction rolls back, then only its sends are dropped', async () => {
    const recorder = new RecordingBackend();
    await withBackend(recorder, async () => {
      const outer = new SignalTransaction('outer');
      await outer.run(async () => {
        await placed.send({ id: 1 });
        const inner = new SignalTransaction('savepoint');
        await inner.run(() => placed.send({ id: 2 }));
        inner.rolledBack();
      });
      await outer.committed();
    });
    expect(recorder.payloadsOf(placed)).to.deep.equal([{ id: 1 }]);
  });

  it('when it is settled twice, then it throws rather than sending twice', async () => {
    const scope = new SignalTransaction('trx');
    await scope.committed();
    expect(() => scope.rolledBack()).to.throw(/already committed or rolled back/);
    expect(() => scope.afterCommit(() => undefined)).to.throw(/already committed or rolled back/);
  });

  it('when a send could not be recorded, then failure holds the first error', () => {
    const scope = new SignalTransaction('trx');
    const first = new Error('outbox full');
    scope.fail(first);
    scope.fail(new Error('second'));
    expect(scope.failure).to.equal(first);
  });

  it('when no transaction is open, then current() is undefined and send runs receivers at once', async () => {
    const seen: number[] = [];
    expect(SignalTransaction.current()).to.equal(undefined);
    await withBackend(new InProcessBackend(), async () => {
      placed.connect(({ id }) => void seen.push(id));
      await placed.send({ id: 7 });
    });
    expect(seen).to.deep.equal([7]);
  });
});
