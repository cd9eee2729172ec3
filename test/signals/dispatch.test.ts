import { expect } from 'chai';
import sinon from 'sinon';
import {
  InProcessBackend,
  ReceiverFailedError,
  ReceiverTimeoutError,
  Signal,
  resetBackend,
  setBackend,
  type ReceiverContext,
  type ReceiverSettledEvent,
} from '../../src/signals/index.js';
import { createMemoryLogger, type LogEntry } from '../support/memory-logger.js';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// How InProcessBackend runs the receivers of one send, on its fast path and when supervised.
describe('in-process dispatch', () => {
  let signal: Signal<number>;
  let entries: LogEntry[];
  let logger: ReturnType<typeof createMemoryLogger>['logger'];

  beforeEach(() => {
    ({ logger, entries } = createMemoryLogger());
    signal = new Signal<number>('order.paid');
  });

  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('without a timeout or an observer', () => {
    beforeEach(() => setBackend(new InProcessBackend({ logger })));

    it('when the first receiver is async, then every receiver still runs exactly once, in order', async () => {
      const calls: string[] = [];
      signal.connect(async function first() {
        await delay(1);
        calls.push('first');
      });
      signal.connect(function second() {
        calls.push('second');
      });
      signal.connect(async function third() {
        await Promise.resolve();
        calls.push('third');
      });
      expect(await signal.send(1)).to.deep.equal([]);
      expect(calls).to.deep.equal(['first', 'second', 'third']);
    });

    it('when receivers after an async one throw or reject, then all run and the errors come back in order', async () => {
      const [sync, rejected] = [new Error('sync'), new Error('rejected')];
      const last = sinon.spy();
      signal.connect(() => delay(1));
      signal.connect(() => {
        throw sync;
      });
      signal.connect(() => Promise.reject(rejected));
      signal.connect(last);
      expect(await signal.send(1)).to.deep.equal([sync, rejected]);
      expect(last.calledOnce).to.be.true;
    });

    it('when the only receiver is async and rejects with a string, then it comes back wrapped, naming the receiver', async () => {
      signal.connect(async function chargeCard() {
        await Promise.resolve();
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
        throw 'card declined';
      });
      const [error] = await signal.send(1);
      expect(error).to.be.instanceOf(ReceiverFailedError).with.property('receiverName', 'chargeCard');
    });

    for (const [label, returned] of [
      ['null', null],
      ['an object whose then is not a function', { then: 'later' }],
      ['a number', 7],
    ] as const) {
      it(`when a receiver returns ${label}, then it is not awaited and the next receiver runs`, async () => {
        const next = sinon.spy();
        signal.connect(() => returned);
        signal.connect(next);
        expect(await signal.send(1)).to.deep.equal([]);
        expect(next.calledOnce).to.be.true;
      });
    }

    it('when a receiver returns a function with a then method, then that thenable is awaited', async () => {
      const calls: string[] = [];
      const thenableFunction = Object.assign(() => undefined, {
        then(resolve: () => void) {
          setTimeout(() => {
            calls.push('thenable settled');
            resolve();
          }, 1);
        },
      });
      signal.connect(() => thenableFunction);
      signal.connect(() => void calls.push('next'));
      await signal.send(1);
      expect(calls).to.deep.equal(['thenable settled', 'next']);
    });

    it('when receivers are sync, then send has run them all before it returns its promise, whatever they return', () => {
      const calls: string[] = [];
      signal.connect(() => {
        calls.push('first');
        return { status: 'ok' };
      });
      signal.connect(() => void calls.push('second'));
      void signal.send(1);
      expect(calls).to.deep.equal(['first', 'second']);
    });

    it('when the only receiver disconnects itself and then throws, then the failure is still logged under its name', async () => {
      signal.connect(function reserveOnce() {
        signal.disconnect(reserveOnce);
        throw new Error('warehouse said no');
      });
      const [error] = await signal.send(1);
      expect(error?.message).to.equal('warehouse said no');
      expect(entries.map((entry) => entry.receiver)).to.deep.equal(['reserveOnce']);
    });

    it('when there are receivers, then they share one context that names the signal and has no broker fields', async () => {
      const contexts: ReceiverContext<number>[] = [];
      signal.connect((_payload, context) => void contexts.push(context));
      signal.connect((_payload, context) => void contexts.push(context));
      await signal.send(1);
      expect(contexts[0]).to.equal(contexts[1]);
      expect(contexts[0]).to.include({ signal, messageId: undefined, attempt: undefined });
    });
  });

  describe('with an observer only', () => {
    it('when async receivers take a while, then they are not timed out: there is no limit', async () => {
      const events: ReceiverSettledEvent[] = [];
      setBackend(new InProcessBackend({ logger, onReceiverSettled: (event) => events.push(event) }));
      signal.connect(async function slow() {
        await delay(20);
      });
      signal.connect(async function slower() {
        await delay(25);
      });
      expect(await signal.send(1)).to.deep.equal([]);
      expect(events.map((event) => [event.receiverName, event.error])).to.deep.equal([
        ['slow', undefined],
        ['slower', undefined],
      ]);
    });

    it('when a receiver is connected with a name, then the observer is told that name', async () => {
      const events: ReceiverSettledEvent[] = [];
      setBackend(new InProcessBackend({ logger, onReceiverSettled: (event) => events.push(event) }));
      signal.connect(() => undefined, { name: 'reserveStock' });
      await signal.send(1);
      expect(events.map((event) => event.receiverName)).to.deep.equal(['reserveStock']);
    });

    it('when the observer throws a string, then the line says so under onReceiverSettled and the send resolves', async () => {
      setBackend(
        new InProcessBackend({
          logger,
          onReceiverSettled: () => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
            throw 'metrics down';
          },
        }),
      );
      signal.connect(() => undefined);
      expect(await signal.send(1)).to.deep.equal([]);
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({ signal: 'order.paid', receiver: 'onReceiverSettled', errorName: 'ReceiverFailedError' });
      expect(entries[0]?.message).to.include('metrics down');
    });
  });

  describe('with a timeout', () => {
    it('when a named receiver times out, then the error and the log line use its name and the next receiver gets a fresh context', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      setBackend(new InProcessBackend({ logger, receiverTimeoutMs: 30 }));
      const seen: AbortSignal[] = [];
      signal.connect(
        (_payload, context) => {
          seen.push(context.abortSignal);
          return new Promise(() => undefined);
        },
        { name: 'callWarehouse' },
      );
      signal.connect((_payload, context) => void seen.push(context.abortSignal));
      const sending = signal.send(1);
      await clock.tickAsync(30);
      const [error] = await sending;
      expect(error).to.be.instanceOf(ReceiverTimeoutError).with.property('receiverName', 'callWarehouse');
      expect(error?.message).to.equal("Receiver callWarehouse of signal 'order.paid' timed out after 30 ms");
      expect(entries[0]).to.include({ receiver: 'callWarehouse', errorName: 'ReceiverTimeoutError' });
      expect(seen.map((abortSignal) => abortSignal.aborted)).to.deep.equal([true, false]);
    });

    it('when every receiver settles in time and there is no observer, then nothing is logged', async () => {
      setBackend(new InProcessBackend({ logger, receiverTimeoutMs: 1_000 }));
      signal.connect(async () => {
        await delay(1);
      });
      signal.connect(() => undefined);
      expect(await signal.send(1)).to.deep.equal([]);
      expect(entries).to.deep.equal([]);
    });

    it('when an async receiver settles in time, then its result counts and it is not aborted', async () => {
      setBackend(new InProcessBackend({ logger, receiverTimeoutMs: 1_000 }));
      let aborted: boolean | undefined;
      const boom = new Error('warehouse said no');
      signal.connect(async (_payload, context) => {
        await delay(1);
        aborted = context.abortSignal.aborted;
        throw boom;
      });
      expect(await signal.send(1)).to.deep.equal([boom]);
      expect(aborted).to.equal(false);
    });

    for (const receiverTimeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      it(`when the timeout is ${receiverTimeoutMs}, then the constructor throws a RangeError naming receiverTimeoutMs`, () => {
        expect(() => new InProcessBackend({ receiverTimeoutMs })).to.throw(RangeError, /^receiverTimeoutMs must be/);
      });
    }
  });
});
