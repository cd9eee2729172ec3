import { expect } from 'chai';
import sinon from 'sinon';
import {
  InProcessBackend,
  ReceiverTimeoutError,
  Signal,
  resetBackend,
  setBackend,
  type ReceiverContext,
  type ReceiverSettledEvent,
} from '../../src/signals/index.js';
import { createMemoryLogger, type LogEntry } from '../support/memory-logger.js';

describe('InProcessBackend with a timeout or an observer', () => {
  let signal: Signal<string>;
  let entries: LogEntry[];
  let logger: ReturnType<typeof createMemoryLogger>['logger'];

  beforeEach(() => {
    ({ logger, entries } = createMemoryLogger());
    signal = new Signal<string>('report.requested');
  });

  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('receiverTimeoutMs', () => {
    it('when a receiver runs past the timeout, then a timeout error is recorded, its abortSignal aborts and the send moves on', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      setBackend(new InProcessBackend({ logger, receiverTimeoutMs: 50 }));
      let seen: AbortSignal | undefined;
      const next = sinon.spy();
      signal.connect(function hangs(_payload, context: ReceiverContext<string>) {
        seen = context.abortSignal;
        return new Promise(() => undefined);
      });
      signal.connect(next);
      const sending = signal.send('monthly');
      await clock.tickAsync(50);
      const errors = await sending;
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(ReceiverTimeoutError).with.property('timeoutMs', 50);
      expect(errors[0]?.message).to.include('hangs');
      expect(seen?.aborted).to.be.true;
      expect(seen?.reason).to.equal(errors[0]);
      expect(next.calledOnce).to.be.true;
      expect(entries[0]).to.include({ receiver: 'hangs', signal: 'report.requested' });
    });

    it('when every receiver finishes in time, then no timer is left behind', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      setBackend(new InProcessBackend({ logger, receiverTimeoutMs: 1_000 }));
      signal.connect(async () => {
        await Promise.resolve();
      });
      signal.connect(() => undefined);
      expect(await signal.send('daily')).to.deep.equal([]);
      expect(clock.countTimers()).to.equal(0);
    });

    it('when a receiver times out, then its timer is cleared too once the send resolves', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      setBackend(new InProcessBackend({ logger, receiverTimeoutMs: 10 }));
      signal.connect(() => new Promise(() => undefined));
      const sending = signal.send('x');
      await clock.tickAsync(10);
      await sending;
      expect(clock.countTimers()).to.equal(0);
    });

    it('when the timeout is not a positive number, then the constructor throws a RangeError', () => {
      expect(() => new InProcessBackend({ receiverTimeoutMs: 0 })).to.throw(RangeError, /receiverTimeoutMs/);
    });
  });

  describe('onReceiverSettled', () => {
    it('when receivers settle, then the observer is told each one with its duration and error', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['performance'] });
      const events: ReceiverSettledEvent[] = [];
      setBackend(new InProcessBackend({ logger, onReceiverSettled: (event) => events.push(event) }));
      const boom = new Error('boom');
      const ok = signal.connect(function ok() {
        clock.tick(3);
      });
      const fails = signal.connect(function fails() {
        clock.tick(25);
        throw boom;
      });
      await signal.send('x');
      expect(events).to.have.length(2);
      expect(events[0]).to.deep.include({ signal, receiver: ok, receiverName: 'ok', durationMs: 3, error: undefined });
      expect(events[1]).to.deep.include({ signal, receiver: fails, receiverName: 'fails', durationMs: 25, error: boom });
    });

    it('when the observer throws, then the send still completes and the failure is logged', async () => {
      setBackend(
        new InProcessBackend({
          logger,
          onReceiverSettled: () => {
            throw new Error('metrics down');
          },
        }),
      );
      const second = sinon.spy();
      signal.connect(() => undefined);
      signal.connect(second);
      expect(await signal.send('x')).to.deep.equal([]);
      expect(second.calledOnce).to.be.true;
      expect(entries[0]).to.include({ receiver: 'onReceiverSettled' });
    });
  });
});
