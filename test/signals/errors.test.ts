import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { ReceiverFailedError, ReceiverTimeoutError, Signal } from '../../src/signals/index.js';
import { useInProcessBackend } from '../support/in-process-backend.js';

describe('what a failed receiver is reported as', () => {
  const entries = useInProcessBackend();
  let signal: Signal<number>;

  beforeEach(() => {
    signal = new Signal<number>('invoice.paid');
  });

  /** The one error a send returns when `sendReceipt` throws `thrown`. */
  const failureOf = async (thrown: unknown): Promise<Error> => {
    signal.connect(function sendReceipt() {
      throw thrown;
    });
    const errors = await signal.send(1);
    expect(errors).to.have.length(1);
    return errors[0]!;
  };

  describe('ReceiverFailedError', () => {
    const circular: Record<string, unknown> = { id: 7 };
    circular.self = circular;

    for (const [label, thrown, shown] of [
      ['a string', 'card declined', '"card declined"'],
      ['undefined', undefined, 'undefined'],
      ['null', null, 'null'],
      ['a number', 402, '402'],
      ['a boolean', false, 'false'],
      ['a symbol', Symbol('declined'), 'Symbol(declined)'],
      ['a plain object', { code: 'card_declined' }, '{"code":"card_declined"}'],
      ['an array', ['a', 1], '["a",1]'],
      ['a circular object', circular, '[object Object]'],
      ['an object that holds a bigint', { amount: 10n }, '[object Object]'],
      ['an object whose toJSON gives nothing', { toJSON: () => undefined }, '[object Object]'],
    ] as const) {
      it(`when a receiver throws ${label}, then send resolves with an Error that shows it: ${shown}`, async () => {
        const error = await failureOf(thrown);
        expect(error).to.be.instanceOf(ReceiverFailedError);
        expect(error.message).to.equal(`Receiver sendReceipt of signal 'invoice.paid' threw a non-Error value: ${shown}`);
        expect(error.cause).to.equal(thrown);
        expect(error).to.include({ name: 'ReceiverFailedError', signalName: 'invoice.paid', receiverName: 'sendReceipt' });
      });
    }

    it('when a receiver throws a non-Error, then the log line names it ReceiverFailedError', async () => {
      await failureOf('card declined');
      expect(entries[0]).to.include({ errorName: 'ReceiverFailedError' });
      expect(entries[0]?.errorMessage).to.equal(`Receiver sendReceipt of signal 'invoice.paid' threw a non-Error value: "card declined"`);
    });

    it('when a receiver throws a revoked proxy, then send still resolves with one error', async () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      const error = await failureOf(proxy);
      expect(error).to.be.instanceOf(ReceiverFailedError);
      expect(error.message).to.equal("Receiver sendReceipt of signal 'invoice.paid' threw a non-Error value: an unreadable object (a revoked Proxy?)");
    });
  });

  describe('errors that are Errors already', () => {
    it('when a receiver throws an Error subclass, then the very same error comes back and is logged by its name', async () => {
      class CardDeclinedError extends Error {
        override readonly name = 'CardDeclinedError';
      }
      const thrown = new CardDeclinedError('card declined');
      expect(await failureOf(thrown)).to.equal(thrown);
      expect(entries[0]).to.include({ errorName: 'CardDeclinedError', errorMessage: 'card declined' });
    });

    it('when a receiver throws an Error from another realm (vm, a worker), then it is returned as it is, not wrapped', async () => {
      const foreign = runInNewContext('new TypeError("from another realm")') as Error;
      expect(foreign instanceof Error).to.be.false;
      expect(await failureOf(foreign)).to.equal(foreign);
    });
  });

  describe('ReceiverTimeoutError', () => {
    it('when created, then it carries the signal, the receiver and the limit, in its message too', () => {
      const error = new ReceiverTimeoutError('invoice.paid', 'sendReceipt', 250);
      expect(error).to.include({ name: 'ReceiverTimeoutError', signalName: 'invoice.paid', receiverName: 'sendReceipt', timeoutMs: 250 });
      expect(error.message).to.equal("Receiver sendReceipt of signal 'invoice.paid' timed out after 250 ms");
      expect(String(error)).to.equal("ReceiverTimeoutError: Receiver sendReceipt of signal 'invoice.paid' timed out after 250 ms");
    });
  });
});
