import { inspect } from 'node:util';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  BaseSignalBackend,
  InProcessBackend,
  RecordingBackend,
  Signal,
  SignalTransaction,
  getBackend,
  resetBackend,
  setBackend,
  withBackend,
  type Receiver,
} from '../../src/signals/index.js';

/** The smallest backend a user could write: it keeps receivers in a Map and runs them in order. */
class MapBackend extends BaseSignalBackend {
  readonly #receivers = new Map<unknown, unknown[]>();

  override async send<T>(signal: Signal<T>, payload: T): Promise<Error[]> {
    for (const receiver of this.receivers(signal)) await receiver(payload, { signal, abortSignal: new AbortController().signal });
    return [];
  }
  override connect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean {
    this.#receivers.set(signal, [...this.receivers(signal), receiver]);
    return true;
  }
  override disconnect(): boolean {
    return false;
  }
  override receivers<T>(signal: Signal<T>): Receiver<T>[] {
    return [...((this.#receivers.get(signal) ?? []) as Receiver<T>[])];
  }
}

describe('the backend contract', () => {
  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('a backend on BaseSignalBackend with only the abstract methods', () => {
    it('when a signal is sent in a transaction, then it is held until the commit and the send resolves to no errors', async () => {
      const seen: number[] = [];
      await withBackend(new MapBackend(), async () => {
        const signal = new Signal<number>('invoice.paid');
        signal.connect((id) => void seen.push(id));
        const transaction = new SignalTransaction('trx');
        expect(await transaction.run(() => signal.send(1))).to.deep.equal([]);
        expect(seen).to.deep.equal([]);
        await transaction.committed();
      });
      expect(seen).to.deep.equal([1]);
    });

    it('when its receivers are listed by name, then each has its function name or <anonymous>', () => {
      const backend = new MapBackend();
      setBackend(backend);
      const signal = new Signal<number>('invoice.paid');
      signal.connect(function sendReceipt() {});
      signal.connect([() => undefined][0]!);
      expect(backend.receiverNames(signal)).to.deep.equal(['sendReceipt', '<anonymous>']);
    });

    it('when it is closed, then close() resolves: by default there is nothing to close', async () => {
      const closing = new MapBackend().close();
      expect(closing).to.be.instanceOf(Promise);
      expect(await closing).to.equal(undefined);
    });
  });

  describe('receiverNames() of the in-process backends', () => {
    for (const Backend of [InProcessBackend, RecordingBackend]) {
      it(`when receivers are connected, then ${Backend.name} names them in order, with the names given at connect time`, () => {
        const backend = new Backend();
        setBackend(backend);
        const signal = new Signal<number>('invoice.paid');
        signal.connect(function sendReceipt() {});
        signal.connect(() => undefined, { name: 'auditInvoice' });
        signal.connect([() => undefined][0]!);
        expect(backend.receiverNames(signal)).to.deep.equal(['sendReceipt', 'auditInvoice', '<anonymous>']);
        expect(backend.receiverNames(new Signal('other'))).to.deep.equal([]);
      });
    }
  });

  describe('the current backend', () => {
    it('when nothing was set, then getBackend() keeps answering the same in-process backend', () => {
      resetBackend();
      const first = getBackend();
      expect(first).to.be.instanceOf(InProcessBackend);
      expect(getBackend()).to.equal(first);
    });

    it('when it is reset, then resetBackend() returns the one it replaced', () => {
      const recorder = new RecordingBackend();
      setBackend(recorder);
      expect(resetBackend()).to.equal(recorder);
      expect(getBackend()).not.to.equal(recorder);
    });
  });

  describe('Signal', () => {
    it('when its name is not a string or is empty, then the constructor throws a TypeError', () => {
      expect(() => new Signal(42 as unknown as string)).to.throw(TypeError, 'A signal needs a non-empty name, such as "user.created"');
      expect(() => new Signal('')).to.throw(TypeError, 'A signal needs a non-empty name, such as "user.created"');
    });

    it('when it is inspected (console.log), then it shows its name and how many receivers it has', () => {
      setBackend(new InProcessBackend());
      const signal = new Signal<number>('invoice.paid');
      signal.connect(() => undefined);
      expect(inspect(signal)).to.equal("Signal(name='invoice.paid', receivers=1)");
    });
  });

  describe('SignalTransaction', () => {
    it('when code runs inside run(), then current() is that transaction, and a nested one names it as parent', async () => {
      const outer = new SignalTransaction('outer');
      await outer.run(async () => {
        await Promise.resolve();
        expect(SignalTransaction.current()).to.equal(outer);
        const inner = new SignalTransaction('savepoint');
        inner.run(() => expect(SignalTransaction.current()).to.equal(inner));
        expect(inner.parent).to.equal(outer);
        expect(inner.executor).to.equal('savepoint');
      });
      expect(SignalTransaction.current()).to.equal(undefined);
    });

    it('when it commits, then its tasks run one after another, each awaited before the next', async () => {
      const steps: string[] = [];
      const transaction = new SignalTransaction('trx');
      transaction.afterCommit(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        steps.push('first');
      });
      transaction.afterCommit(() => void steps.push('second'));
      await transaction.committed();
      expect(steps).to.deep.equal(['first', 'second']);
    });

    it('when it is committed twice, then the second commit rejects and runs nothing', async () => {
      const task = sinon.spy();
      const transaction = new SignalTransaction('trx');
      transaction.afterCommit(task);
      await transaction.committed();
      const error: unknown = await transaction.committed().catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error).with.property('message', 'This signal transaction has already committed or rolled back');
      expect(task.calledOnce).to.be.true;
    });

    it('when it rolled back, then committing it throws and its tasks never run', async () => {
      const task = sinon.spy();
      const transaction = new SignalTransaction('trx');
      transaction.afterCommit(task);
      transaction.rolledBack();
      const error: unknown = await transaction.committed().catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error);
      expect(task.called).to.be.false;
    });

    it('when a savepoint rolls back, then its tasks are dropped and the outer transaction\'s still run at its commit', async () => {
      const task = sinon.spy();
      const outer = new SignalTransaction('outer');
      await outer.run(async () => {
        outer.afterCommit(task);
        const inner = new SignalTransaction('savepoint');
        inner.afterCommit(() => {
          throw new Error('dropped with the savepoint');
        });
        inner.rolledBack();
        await Promise.resolve();
      });
      await outer.committed();
      expect(task.calledOnce).to.be.true;
      expect(outer.failure).to.equal(undefined);
    });
  });
});
