import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBackend, Signal, findUnportableValue, resetBackend, setBackend } from '../../src/signals/index.js';

class Price {
  constructor(readonly cents: number) {}
}

/** `levels` containers nested in one another, the innermost holding `leaf`. */
function nested(levels: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let level = 1; level < levels; level++) value = level % 2 === 0 ? [value] : { child: value };
  return { child: value };
}

describe('the payload check', () => {
  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('findUnportableValue()', () => {
    it('when a payload has many sibling objects, then it finds nothing: depth is given back after each one', () => {
      const order = { lines: Array.from({ length: 100 }, (_, index) => ({ sku: `SKU-${index}`, tags: [{ id: index }] })) };
      expect(findUnportableValue(order)).to.equal(undefined);
    });

    it('when a payload has many sibling arrays, then it finds nothing', () => {
      const table = { rows: Array.from({ length: 100 }, (_, index) => [index, [index]]) };
      expect(findUnportableValue(table)).to.equal(undefined);
    });

    it('when a payload has many sibling objects and an unportable value after them, then it names that value', () => {
      const order = { lines: [...Array.from({ length: 100 }, () => ({ a: { b: 1 } })), { price: new Price(1) }] };
      expect(findUnportableValue(order)).to.equal('Price at .lines[100].price');
    });

    it('when containers are nested 64 deep, then that is fine; at 65, it is reported as too deep', () => {
      expect(findUnportableValue(nested(64, 1))).to.equal(undefined);
      expect(findUnportableValue(nested(65, 1))).to.match(/^circular or too deeply nested object at /);
    });

    it('when a class instance is the 10,000th object, then it is found; as the 10,001st, the check has trusted the rest', () => {
      const atTheLimit = [...Array.from({ length: 9_998 }, () => ({})), new Price(1)];
      const pastTheLimit = [...Array.from({ length: 9_999 }, () => ({})), new Price(1)];
      expect(findUnportableValue(atTheLimit)).to.equal('Price at [9998]');
      expect(findUnportableValue(pastTheLimit)).to.equal(undefined);
    });

    for (const [label, value, expected] of [
      ['a function inside an object', { format: () => '' }, 'function at .format'],
      ['a symbol inside an array', [1, Symbol('x')], 'symbol at [1]'],
      ['an instance of an anonymous class', new ([class {}][0]!)(), 'object with a custom prototype'],
      ['an object whose prototype has no constructor', Object.create(Object.create(null) as object) as object, 'object with a custom prototype'],
      ['a class instance in a Set inside an array', [{ ok: true }, { tags: new Set([1, new Price(1)]) }], 'Price at [1].tags.<a Set item>'],
      ['a class instance under a number key of a Map', new Map([[7, new Price(1)]]), 'Price at .get(7)'],
      ['a class instance under a boolean key of a Map', new Map([[true, new Price(1)]]), 'Price at .get(true)'],
      ['a class instance under a bigint key of a Map', new Map([[7n, new Price(1)]]), 'Price at .get(7)'],
      ['a class instance under an object key of a Map', new Map([[{}, new Price(1)]]), 'Price at .<a Map entry>'],
      ['a class instance as a key of a Map', new Map([[new Price(1), 'x']]), 'Price at .<a Map entry>'],
      ['a function after a portable Map entry', new Map<string, unknown>([['a', 1], ['b', () => 1]]), 'function at .get("b")'],
    ] as const) {
      it(`when given ${label}, then it names it: ${expected}`, () => {
        expect(findUnportableValue(value)).to.equal(expected);
      });
    }

    for (const [label, value] of [
      ['an object with a toJSON that is not a function, holding JSON values', { toJSON: 1, id: 2 }],
      ['an empty array', []],
      // eslint-disable-next-line no-sparse-arrays -- the point of the test
      ['an array with holes', [1, , 3]],
    ] as const) {
      it(`when given ${label}, then it finds nothing`, () => {
        expect(findUnportableValue(value)).to.equal(undefined);
      });
    }
  });

  describe('Signal.send()', () => {
    beforeEach(() => setBackend(new InProcessBackend()));

    it('when the payload is not portable, then the warning names the signal, the value and what to send instead, with its code', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      await new Signal<unknown>('report.ready').send({ at: new Price(1) });
      expect(warn.firstCall.args).to.deep.equal([
        "Signal 'report.ready' was sent a payload with a Price at .at, which a message broker cannot deliver as it was: " +
          'a broker backend refuses the send. Send data: plain objects, arrays, primitives, Date, Map, Set, bigint, RegExp, URL, ' +
          'Error or typed arrays.',
        { type: 'SignalPayloadWarning', code: 'SIGNAL_PAYLOAD_NOT_PORTABLE' },
      ]);
    });

    it('when two signals are sent the same unportable type, then each warns once', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      const first = new Signal<unknown>('report.ready');
      const second = new Signal<unknown>('report.failed');
      await first.send(new Price(1));
      await second.send(new Price(2));
      await first.send(new Price(3));
      expect(warn.callCount).to.equal(2);
    });

    it('when a payload has a prototype without a constructor, then send resolves and warns instead of throwing', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      const signal = new Signal<unknown>('report.ready');
      const receiver = signal.connect(sinon.spy());
      const payload = Object.create(Object.create(null) as object) as object;
      expect(await signal.send(payload)).to.deep.equal([]);
      expect(receiver.calledOnce).to.be.true;
      expect(warn.firstCall.args[0]).to.include('object with a custom prototype');
    });

    it('when a wide payload of more than 64 objects is sent, then it does not warn', async () => {
      const warn = sinon.stub(process, 'emitWarning');
      await new Signal<unknown>('report.ready').send({ rows: Array.from({ length: 200 }, (_, id) => ({ id })) });
      expect(warn.called).to.be.false;
    });
  });
});
