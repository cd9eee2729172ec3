import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBackend, Signal, findUnportableValue, resetBackend, setBackend } from '../../src/signals/index.js';

class Money {
  constructor(readonly cents: number) {}
}

class Stamp {
  toJSON(): string {
    return 'stamp';
  }
}

describe('payload portability', () => {
  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('send()', () => {
    beforeEach(() => setBackend(new InProcessBackend()));

    it('when the payload is a class instance without toJSON, then it warns once with the signal and the type, and still fires', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      const signal = new Signal<Money>('payment.taken');
      const receiver = signal.connect(sinon.spy());
      await signal.send(new Money(100));
      await signal.send(new Money(200));
      expect(warn.callCount).to.equal(1);
      const [message, options] = warn.firstCall.args as [string, { type: string }];
      expect(options.type).to.equal('SignalPayloadWarning');
      expect(message).to.include("'payment.taken'").and.include('Money');
      expect(receiver.callCount).to.equal(2);
    });

    it('when the payload is a plain object of JSON values, then it does not warn', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      await new Signal<{ id: number; tags: string[] }>('user.created').send({ id: 1, tags: ['a'] });
      expect(warn.called).to.be.false;
    });

    it('when two different unportable types are sent, then each warns once', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      const signal = new Signal<unknown>('anything');
      await signal.send(new Map());
      await signal.send(new Map());
      await signal.send(() => undefined);
      expect(warn.callCount).to.equal(2);
    });
  });

  describe('findUnportableValue()', () => {
    for (const [label, value] of [
      ['undefined', undefined],
      ['null', null],
      ['a string', 'x'],
      ['a finite number', 1.5],
      ['a boolean', false],
      ['an array of plain objects', [{ a: 1 }, { b: [2] }]],
      ['an object with a null prototype', Object.assign(Object.create(null) as object, { a: 1 })],
      ['a Date (it has toJSON)', new Date(0)],
      ['a class instance with toJSON', new Stamp()],
    ] as const) {
      it(`when given ${label}, then it finds nothing`, () => {
        expect(findUnportableValue(value)).to.equal(undefined);
      });
    }

    for (const [label, value, expected] of [
      ['a Map', new Map(), 'Map'],
      ['a function', () => undefined, 'function'],
      ['a bigint', 10n, 'bigint'],
      ['NaN', Number.NaN, 'number (NaN)'],
      ['a class instance deep inside', { order: { items: [new Money(1)] } }, 'Money at .order.items[0]'],
    ] as const) {
      it(`when given ${label}, then it names it`, () => {
        expect(findUnportableValue(value)).to.equal(expected);
      });
    }

    it('when the payload is circular, then it says so instead of looping', () => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      expect(findUnportableValue(loop)).to.match(/^circular/);
    });
  });
});
