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

    it('when the payload holds a Date, a Map, a Set or a bigint, then it does not warn: they cross a broker with their types', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      await new Signal<unknown>('invoice.due').send({ dueAt: new Date(0), lines: new Map([['a', 1n]]), tags: new Set(['x']) });
      expect(warn.called).to.be.false;
    });

    it('when the payload is a plain object of JSON values, then it does not warn', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      await new Signal<{ id: number; tags: string[] }>('user.created').send({ id: 1, tags: ['a'] });
      expect(warn.called).to.be.false;
    });

    it('when two different unportable types are sent, then each warns once', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      const signal = new Signal<unknown>('anything');
      await signal.send(new Money(1));
      await signal.send(new Money(2));
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
      ['a Date', new Date(0)],
      ['a Map of Sets', new Map([['k', new Set([1])]])],
      ['a bigint', 10n],
      ['NaN, -0 and Infinity', [Number.NaN, -0, Number.POSITIVE_INFINITY]],
      ['a RegExp, a URL and an Error', [/a/g, new URL('https://example.com/'), new Error('boom')]],
      ['a Uint8Array', new Uint8Array([1, 2])],
      ['undefined in an array', [undefined]],
    ] as const) {
      it(`when given ${label}, then it finds nothing`, () => {
        expect(findUnportableValue(value)).to.equal(undefined);
      });
    }

    for (const [label, value, expected] of [
      ['a function', () => undefined, 'function'],
      ['a symbol', Symbol('s'), 'symbol'],
      ['a class instance with toJSON', new Stamp(), 'Stamp'],
      ['a plain object with its own toJSON', { toJSON: () => 'x' }, 'object with its own toJSON()'],
      ['an invalid Date', { at: new Date(Number.NaN) }, 'invalid Date at .at'],
      ['a Buffer', { file: Buffer.from('hi') }, 'Buffer (send a Uint8Array or a base64 string) at .file'],
      ['an Error subclass', new TypeError('x'), 'TypeError (an Error subclass arrives as a plain Error)'],
      ['a class instance deep inside', { order: { items: [new Money(1)] } }, 'Money at .order.items[0]'],
      ['a class instance as a Map value', new Map([['price', new Money(1)]]), 'Money at .get("price")'],
      ['a function in a Set', new Set([() => 1]), 'function at .<a Set item>'],
    ] as const) {
      it(`when given ${label}, then it names it`, () => {
        expect(findUnportableValue(value)).to.equal(expected);
      });
    }

    it('when the payload is circular, then it says so instead of looping', () => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      expect(findUnportableValue(loop)).to.match(/^circular/);
      expect(findUnportableValue(loop)).to.equal(`circular or too deeply nested object at ${'.self'.repeat(16)}…`);
    });
  });
});
