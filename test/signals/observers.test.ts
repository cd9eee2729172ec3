import { expect } from 'chai';
import { combineObservers, InProcessBackend, Signal, SignalTransaction, resetBackend, setBackend, type ReceiverSettledEvent, type SentEvent } from '../../src/signals/index.js';
import { createMemoryLogger, type LogEntry } from '../support/memory-logger.js';

describe('InProcessBackend observers (onSent, onReceiverSettled)', () => {
  let signal: Signal<number>;
  let entries: LogEntry[];
  let logger: ReturnType<typeof createMemoryLogger>['logger'];

  beforeEach(() => {
    ({ logger, entries } = createMemoryLogger());
    signal = new Signal<number>('order.paid');
  });

  afterEach(() => resetBackend());

  describe('onSent', () => {
    it('when a signal is sent, then the observer is told its name once per send, receivers or not', async () => {
      const sent: SentEvent[] = [];
      setBackend(new InProcessBackend({ logger, onSent: (event) => sent.push(event) }));
      await signal.send(1);
      signal.connect(() => undefined);
      await signal.send(2);
      expect(sent).to.deep.equal([
        { signalName: 'order.paid', messageId: undefined, error: undefined },
        { signalName: 'order.paid', messageId: undefined, error: undefined },
      ]);
    });

    it('when sends are made in transactions, then the observer is told after the commit, and not for a rollback', async () => {
      const sent: SentEvent[] = [];
      setBackend(new InProcessBackend({ logger, onSent: (event) => sent.push(event) }));
      const committed = new SignalTransaction({});
      await committed.run(() => signal.send(1));
      expect(sent).to.deep.equal([]);
      await committed.committed();
      const rolledBack = new SignalTransaction({});
      await rolledBack.run(() => signal.send(2));
      rolledBack.rolledBack();
      expect(sent.map((event) => event.signalName)).to.deep.equal(['order.paid']);
    });

    it('when the observer throws, then the receivers still run and the failure is logged under onSent', async () => {
      const received: number[] = [];
      setBackend(
        new InProcessBackend({
          logger,
          onSent: () => {
            throw new Error('metrics down');
          },
        }),
      );
      signal.connect((n) => void received.push(n));
      expect(await signal.send(7)).to.deep.equal([]);
      expect(received).to.deep.equal([7]);
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({ signal: 'order.paid', receiver: 'onSent', message: "Receiver onSent of signal 'order.paid' failed: metrics down" });
    });
  });

  describe('onReceiverSettled', () => {
    it('when one receiver succeeds and one fails, then the outcomes are success and failure, with no attempt or message id', async () => {
      const events: ReceiverSettledEvent[] = [];
      setBackend(new InProcessBackend({ logger, onReceiverSettled: (event) => events.push(event) }));
      signal.connect(function reserveStock() {});
      signal.connect(function chargeCard() {
        throw new Error('card declined');
      });
      await signal.send(1);
      expect(events.map(({ receiverName, outcome, attempt, messageId }) => ({ receiverName, outcome, attempt, messageId }))).to.deep.equal([
        { receiverName: 'reserveStock', outcome: 'success', attempt: undefined, messageId: undefined },
        { receiverName: 'chargeCard', outcome: 'failure', attempt: undefined, messageId: undefined },
      ]);
    });
  });
});

describe('combineObservers()', () => {
  const event = { signalName: 'user.created', messageId: undefined, error: undefined };

  it('when a send is observed, then every set is told, in order', () => {
    const told: string[] = [];
    const combined = combineObservers({ onSent: () => told.push('metrics') }, {}, { onSent: () => told.push('stats') });
    combined.onSent(event);
    expect(told).to.deep.equal(['metrics', 'stats']);
  });

  it('when a receiver run is observed, then every set that has onReceiverSettled is told', () => {
    const told: string[] = [];
    const combined = combineObservers({ onReceiverSettled: () => told.push('metrics') }, { onSent: () => told.push('wrong') }, { onReceiverSettled: () => told.push('stats') });
    const settled = { signal: new Signal<number>('order.paid'), receiver: () => undefined, receiverName: 'audit', durationMs: 1, error: undefined, outcome: 'success' as const };
    combined.onReceiverSettled(settled);
    expect(told).to.deep.equal(['metrics', 'stats']);
  });

  it('when one observer throws, then the others are still told and the first error is thrown on', () => {
    const told: string[] = [];
    const combined = combineObservers(
      { onSent: () => { throw new Error('first'); } },
      { onSent: () => { throw new Error('second'); } },
      { onSent: () => told.push('stats') },
    );
    let thrown: unknown;
    try {
      combined.onSent(event);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).to.equal('first');
    expect(told).to.deep.equal(['stats']);
  });
});
