import { expect } from 'chai';
import sinon from 'sinon';
import {
  BaseSignalBackend,
  InProcessBackend,
  RecordingBackend,
  Signal,
  getBackend,
  resetBackend,
  setBackend,
  withBackend,
  type Receiver,
} from '../../src/signals/index.js';
import { invoicePaid } from './fixtures/module-signals.js';

/** A backend written the way a user would: it counts sends and delegates to the default. */
class CountingBackend extends BaseSignalBackend {
  sends = 0;
  closed = false;
  readonly #inner = new InProcessBackend();

  override send<T>(signal: Signal<T>, payload: T): Promise<Error[]> {
    this.sends++;
    return this.#inner.send(signal, payload);
  }
  override connect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean {
    return this.#inner.connect(signal, receiver);
  }
  override disconnect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean {
    return this.#inner.disconnect(signal, receiver);
  }
  override receivers<T>(signal: Signal<T>): Receiver<T>[] {
    return this.#inner.receivers(signal);
  }
  override close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('signal backends', () => {
  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('InProcessBackend', () => {
    it('when two signals share a name, then they do not share receivers', async () => {
      setBackend(new InProcessBackend());
      const first = new Signal<number>('same.name');
      const second = new Signal<number>('same.name');
      const receiver = sinon.spy();
      first.connect(receiver);
      await second.send(1);
      expect(receiver.called).to.be.false;
      expect(second.hasReceivers).to.be.false;
    });

    it('when close() is called, then it returns a promise of nothing and receivers keep running: there is nothing to close', async () => {
      const backend = new InProcessBackend();
      setBackend(backend);
      const receiver = invoicePaid.connect(sinon.spy());
      const closing = backend.close();
      expect(closing).to.be.instanceOf(Promise);
      expect(await closing).to.equal(undefined);
      await invoicePaid.send({ invoiceId: 4 });
      expect(receiver.firstCall.args[0]).to.deep.equal({ invoiceId: 4 });
    });
  });

  describe('setBackend() and resetBackend()', () => {
    it('when a backend is set, then it returns the previous one and module-level signals follow the new one', async () => {
      const before = getBackend();
      const recorder = new RecordingBackend();
      expect(setBackend(recorder)).to.equal(before);
      await invoicePaid.send({ invoiceId: 9 });
      expect(recorder.payloadsOf(invoicePaid)).to.deep.equal([{ invoiceId: 9 }]);
    });

    it('when the backend is reset, then receivers connected before are gone', () => {
      invoicePaid.connect(sinon.spy());
      resetBackend();
      expect(invoicePaid.hasReceivers).to.be.false;
      expect(getBackend()).to.be.instanceOf(InProcessBackend);
    });
  });

  describe('withBackend()', () => {
    it('when the function settles, then the previous backend is back and the result is returned', async () => {
      const before = getBackend();
      const recorder = new RecordingBackend();
      const result = await withBackend(recorder, async () => {
        await invoicePaid.send({ invoiceId: 1 });
        return getBackend();
      });
      expect(result).to.equal(recorder);
      expect(getBackend()).to.equal(before);
    });

    it('when the function throws, then the previous backend is back and the error propagates', async () => {
      const before = getBackend();
      const error = await withBackend(new RecordingBackend(), () => {
        throw new Error('nope');
      }).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error).with.property('message', 'nope');
      expect(getBackend()).to.equal(before);
    });
  });

  describe('RecordingBackend', () => {
    it('when signals are sent, then it records each in order and calls no receiver', async () => {
      const recorder = new RecordingBackend();
      setBackend(recorder);
      const receiver = sinon.spy();
      invoicePaid.connect(receiver);
      const other = new Signal<string>('other');
      expect(await invoicePaid.send({ invoiceId: 1 })).to.deep.equal([]);
      await other.send('x');
      expect(recorder.dispatched.map((entry) => [entry.signal, entry.payload])).to.deep.equal([
        [invoicePaid, { invoiceId: 1 }],
        [other, 'x'],
      ]);
      expect(receiver.called).to.be.false;
      expect(invoicePaid.receivers).to.deep.equal([receiver]);
      recorder.clear();
      expect(recorder.dispatched).to.deep.equal([]);
    });
  });

  describe('a custom backend on BaseSignalBackend', () => {
    it('when installed, then signals send through it and close() is its own', async () => {
      const backend = new CountingBackend();
      setBackend(backend);
      const receiver = invoicePaid.connect(sinon.spy());
      expect(await invoicePaid.send({ invoiceId: 3 })).to.deep.equal([]);
      expect(backend.sends).to.equal(1);
      expect(invoicePaid.receivers).to.deep.equal([receiver]);
      await backend.close();
      expect(backend.closed).to.be.true;
    });
  });
});
