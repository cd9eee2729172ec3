import { expect } from 'chai';
import sinon from 'sinon';
import {
  InProcessBackend,
  ReceiverFailedError,
  Signal,
  resetBackend,
  setBackend,
} from '../../src/signals/index.js';
import { createMemoryLogger, type LogEntry } from '../support/memory-logger.js';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('InProcessBackend', () => {
  let signal: Signal<{ id: number }>;
  let entries: LogEntry[];

  beforeEach(() => {
    const memory = createMemoryLogger();
    entries = memory.entries;
    setBackend(new InProcessBackend({ logger: memory.logger }));
    signal = new Signal<{ id: number }>('order.placed');
  });

  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('send()', () => {
    it('when receivers are sync and async, then each runs in connection order, awaited before the next', async () => {
      const calls: string[] = [];
      signal.connect(async function slow() {
        await delay(5);
        calls.push('slow');
      });
      signal.connect(function quick() {
        calls.push('quick');
      });
      signal.connect(async function last() {
        await delay(1);
        calls.push('last');
      });
      expect(await signal.send({ id: 1 })).to.deep.equal([]);
      expect(calls).to.deep.equal(['slow', 'quick', 'last']);
    });

    it('when a sync receiver returns a promise, then send awaits it', async () => {
      let settled = false;
      signal.connect(() => delay(5).then(() => (settled = true)));
      await signal.send({ id: 1 });
      expect(settled).to.be.true;
    });

    it('when a receiver returns a thenable that is not a promise, then send awaits it', async () => {
      let settled = false;
      const thenable = { then: (resolve: () => void) => setTimeout(() => ((settled = true), resolve()), 5) };
      signal.connect(() => thenable);
      await signal.send({ id: 1 });
      expect(settled).to.be.true;
    });

    it('when receivers are connected, then each gets the payload and a context naming the signal', async () => {
      const receiver = sinon.spy();
      signal.connect(receiver);
      await signal.send({ id: 7 });
      const [payload, context] = receiver.firstCall.args as [unknown, { signal: unknown; abortSignal: AbortSignal }];
      expect(payload).to.deep.equal({ id: 7 });
      expect(context.signal).to.equal(signal);
      expect(context.abortSignal.aborted).to.be.false;
    });

    it('when no receiver is connected, then it resolves with no errors', async () => {
      expect(await signal.send({ id: 1 })).to.deep.equal([]);
    });

    it('when a receiver throws, then the others still run and the error is returned', async () => {
      const boom = new Error('mail server down');
      const after = sinon.spy();
      signal.connect(function sendMail() {
        throw boom;
      });
      signal.connect(after);
      const errors = await signal.send({ id: 1 });
      expect(errors).to.have.length(1);
      expect(errors[0]).to.equal(boom);
      expect(after.calledOnce).to.be.true;
    });

    it('when a receiver rejects, then the very same error is returned', async () => {
      const boom = new TypeError('bad');
      signal.connect(() => Promise.reject(boom));
      expect(await signal.send({ id: 1 })).to.deep.equal([boom]);
    });

    for (const [label, thrown] of [
      ['a string', 'text'],
      ['undefined', undefined],
      ['a plain object', { code: 42 }],
      ['null', null],
      ['a number', 7],
    ] as const) {
      it(`when a receiver throws ${label}, then an Error naming the receiver and signal wraps it as cause`, async () => {
        signal.connect(function auditTrail() {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
          throw thrown;
        });
        const [error] = await signal.send({ id: 1 });
        expect(error).to.be.instanceOf(ReceiverFailedError);
        expect(error?.cause).to.equal(thrown);
        expect(error?.message).to.include('auditTrail').and.include("'order.placed'");
      });
    }

    it('when several receivers fail, then their errors come back in order', async () => {
      const first = new Error('first');
      const second = new Error('second');
      signal.connect(() => {
        throw first;
      });
      signal.connect(() => Promise.reject(second));
      expect(await signal.send({ id: 1 })).to.deep.equal([first, second]);
    });
  });

  describe('the snapshot rule', () => {
    it('when a receiver disconnects the next one during a send, then the next one still runs this time', async () => {
      const second = sinon.spy();
      signal.connect(function first() {
        signal.disconnect(second);
      });
      signal.connect(second);
      await signal.send({ id: 1 });
      expect(second.calledOnce).to.be.true;
      await signal.send({ id: 2 });
      expect(second.calledOnce).to.be.true;
    });

    it('when a receiver disconnects itself during a send, then the receivers after it still run', async () => {
      const later = sinon.spy();
      signal.connect(function once() {
        signal.disconnect(once);
      });
      signal.connect(later);
      await signal.send({ id: 1 });
      expect(later.calledOnce).to.be.true;
    });

    it('when a receiver connects another during a send, then the new one runs from the next send', async () => {
      const added = sinon.spy();
      signal.connect(function adder() {
        signal.connect(added);
      });
      await signal.send({ id: 1 });
      expect(added.called).to.be.false;
      await signal.send({ id: 2 });
      expect(added.calledOnce).to.be.true;
    });
  });

  describe('logging', () => {
    it('when a receiver throws, then one error line carries the signal, receiver, message and stack', async () => {
      signal.connect(function sendConfirmation() {
        throw new Error('smtp refused');
      });
      await signal.send({ id: 1 });
      expect(entries).to.have.length(1);
      const [entry] = entries;
      expect(entry).to.include({ level: 'error', signal: 'order.placed', receiver: 'sendConfirmation' });
      expect(entry?.message).to.include('smtp refused');
      expect(entry?.stack).to.be.a('string').and.include('smtp refused');
    });

    it('when the receiver is anonymous, then the log line names it <anonymous>', async () => {
      signal.connect(
        [
          () => {
            throw new Error('x');
          },
        ][0]!,
      );
      await signal.send({ id: 1 });
      expect(entries[0]).to.include({ receiver: '<anonymous>' });
    });

    it('when the logger itself throws, then send still resolves with the error', async () => {
      const broken = { error: sinon.stub().throws(new Error('disk full')), warn: sinon.stub(), info: sinon.stub() };
      setBackend(new InProcessBackend({ logger: broken }));
      const boom = new Error('boom');
      signal.connect(() => {
        throw boom;
      });
      expect(await signal.send({ id: 1 })).to.deep.equal([boom]);
    });
  });
});
