import { expect } from 'chai';
import sinon from 'sinon';
import { RecordingBackend, Signal, setBackend } from '../../src/signals/index.js';
import { receiverName } from '../../src/signals/receiver-registry.js';
import { useInProcessBackend } from '../support/in-process-backend.js';

// The receivers of each signal, as a backend keeps them (ReceiverRegistry), seen through Signal.
describe('the receivers of a signal', () => {
  const entries = useInProcessBackend();
  let signal: Signal<number>;

  beforeEach(() => {
    signal = new Signal<number>('stock.changed');
  });

  const failing = (name: string): ((n: number) => void) =>
    ({
      [name]: (): void => {
        throw new Error(`${name} failed`);
      },
    })[name] as (n: number) => void;

  describe('disconnect()', () => {
    it('when one of two receivers is disconnected, then the other stays and still runs', async () => {
      const first = signal.connect(sinon.spy());
      const second = signal.connect(sinon.spy());
      expect(signal.disconnect(first)).to.be.true;
      expect(signal.receivers).to.deep.equal([second]);
      await signal.send(1);
      expect(first.called).to.be.false;
      expect(second.calledOnceWith(1)).to.be.true;
    });

    it('when the second of three is disconnected, then the first and third keep their order', () => {
      const [first, second, third] = [sinon.spy(), sinon.spy(), sinon.spy()].map((spy) => signal.connect(spy));
      signal.disconnect(second!);
      expect(signal.receivers).to.deep.equal([first, third]);
    });

    it('when the last receiver is disconnected, then there are none, and connecting again works', async () => {
      const receiver = signal.connect(sinon.spy());
      signal.disconnect(receiver);
      expect(signal.hasReceivers).to.be.false;
      expect(signal.disconnect(receiver)).to.be.false;
      signal.connect(receiver);
      await signal.send(2);
      expect(receiver.calledOnceWith(2)).to.be.true;
    });

    it('when a receiver of another signal is disconnected, then this one keeps its receivers', () => {
      const receiver = signal.connect(sinon.spy());
      const other = new Signal<number>('stock.counted');
      expect(other.disconnect(receiver)).to.be.false;
      expect(signal.receivers).to.deep.equal([receiver]);
    });
  });

  describe('names in log lines', () => {
    it('when a receiver is connected with a name, then its failures are logged under that name', async () => {
      signal.connect(failing('inner'), { name: 'reorderStock' });
      await signal.send(1);
      expect(entries[0]).to.include({ receiver: 'reorderStock' });
    });

    it('when named receivers are disconnected one by one, then the one left keeps its name', async () => {
      const first = signal.connect(failing('first'), { name: 'firstName' });
      signal.connect(failing('second'), { name: 'secondName' });
      signal.disconnect(first);
      await signal.send(1);
      expect(entries.map((entry) => entry.receiver)).to.deep.equal(['secondName']);
    });

    it('when a named receiver is disconnected and connected again without a name, then its function name is used', async () => {
      const receiver = signal.connect(failing('reorderStock'), { name: 'stockJob' });
      signal.disconnect(receiver);
      signal.connect(receiver);
      await signal.send(1);
      expect(entries[0]).to.include({ receiver: 'reorderStock' });
    });

    it('when a receiver is connected again under another name, then the first connection and its name stay', async () => {
      const receiver = signal.connect(failing('inner'), { name: 'first' });
      signal.connect(receiver, { name: 'second' });
      await signal.send(1);
      expect(entries.map((entry) => entry.receiver)).to.deep.equal(['first']);
    });

    it('when a receiver is named after one without a name, then each is logged as it should be', async () => {
      signal.connect(failing('plain'));
      signal.connect(failing('inner'), { name: 'named' });
      await signal.send(1);
      expect(entries.map((entry) => entry.receiver)).to.deep.equal(['plain', 'named']);
    });

    it('when the same function is named differently on two signals, then each signal uses its own name', async () => {
      const other = new Signal<number>('stock.counted');
      const receiver = failing('inner');
      signal.connect(receiver, { name: 'onChanged' });
      other.connect(receiver, { name: 'onCounted' });
      await signal.send(1);
      await other.send(1);
      expect(entries.map((entry) => [entry.signal, entry.receiver])).to.deep.equal([
        ['stock.changed', 'onChanged'],
        ['stock.counted', 'onCounted'],
      ]);
    });

    it('when a function has no name, then receiverName() says <anonymous>, else its name', () => {
      expect(receiverName([() => undefined][0]!)).to.equal('<anonymous>');
      expect(receiverName(function reorderStock() {})).to.equal('reorderStock');
    });
  });

  describe('a backend that records', () => {
    it('when receivers are connected to a RecordingBackend, then they are listed and disconnect like anywhere else', () => {
      setBackend(new RecordingBackend());
      const first = signal.connect(sinon.spy());
      const second = signal.connect(sinon.spy());
      expect(signal.connect(first)).to.equal(first);
      expect(signal.receivers).to.deep.equal([first, second]);
      expect(signal.disconnect(first)).to.be.true;
      expect(signal.receivers).to.deep.equal([second]);
    });
  });
});
