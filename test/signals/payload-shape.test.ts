import { expect } from 'chai';
import { findUnportableValue } from '../../src/signals/index.js';
import { describePayload } from '../../src/signals/payload-check.js';

/** `levels` Maps, each the only value of the next. */
function nestedMaps(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = new Map([['k', value]]);
  return value;
}

// describePayload() decides how a broker backend serializes a payload: JSON when JSON gives
// it back as it was, superjson when it holds values JSON would change.
describe('describePayload()', () => {
  for (const [label, payload] of [
    ['undefined', undefined],
    ['a boolean in an array', [true, false]],
    ['an undefined property (JSON drops it; reading it still gives undefined)', { note: undefined }],
    ['an array of finite numbers', [1, 2.5, -3]],
    ['strings, null and nested plain objects', { a: 'x', b: null, c: { d: [{ e: 'f' }] } }],
  ] as const) {
    it(`when the payload is ${label}, then it is plain JSON`, () => {
      expect(describePayload(payload)).to.deep.equal({ kind: 'json' });
    });
  }

  for (const [label, payload] of [
    ['undefined in an array (JSON makes it null)', [undefined]],
    ['NaN', { ratio: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['-0', -0],
    ['a bigint', { cents: 10n }],
    ['a Date', { at: new Date(0) }],
    ['a RegExp', [/a/g]],
    ['a URL', new URL('https://example.com/')],
    ['an Error', { cause: new Error('boom') }],
    ['a Uint8Array', new Uint8Array([1])],
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1])],
  ] as const) {
    it(`when the payload holds ${label}, then it needs the typed serializer`, () => {
      expect(describePayload(payload)).to.deep.equal({ kind: 'typed' });
    });
  }

  it('when the payload holds a function, then it is unportable, with where it is', () => {
    expect(describePayload({ format: () => '' })).to.deep.equal({ kind: 'unportable', finding: 'function at .format' });
  });
});

describe('findUnportableValue() and nesting', () => {
  it('when a payload refers to itself, then the finding is the path down the loop, cut at 80 characters', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(findUnportableValue(loop)).to.equal(`circular or too deeply nested object at ${'.self'.repeat(16)}…`);
  });

  it('when a Map holds itself, then that is found too, not looped over', () => {
    const map = new Map<string, unknown>();
    map.set('self', map);
    expect(findUnportableValue(map)).to.equal(`circular or too deeply nested object at ${'.get("self")'.repeat(6)}.get("se…`);
  });

  it('when the path to an unportable value is 80 characters, then it is shown whole; at 81, cut', () => {
    expect(findUnportableValue({ ['k'.repeat(79)]: () => 1 })).to.equal(`function at .${'k'.repeat(79)}`);
    expect(findUnportableValue({ ['k'.repeat(80)]: () => 1 })).to.equal(`function at .${'k'.repeat(79)}…`);
  });

  it('when Maps are nested 64 deep, then that is fine; at 65, it is reported as too deep', () => {
    expect(findUnportableValue(nestedMaps(64))).to.equal(undefined);
    expect(findUnportableValue(nestedMaps(65))).to.match(/^circular or too deeply nested object at \.get\("k"\)/);
  });

  it('when a Map holds many Sets side by side, then it finds nothing: depth is given back after each one', () => {
    const wide = new Map(Array.from({ length: 100 }, (_, index) => [index, new Set([index])]));
    expect(findUnportableValue(wide)).to.equal(undefined);
    expect(findUnportableValue({ tags: wide })).to.equal(undefined);
  });

  it('when an error-like object has lost its constructor, then it is named as a plain Error', () => {
    const prototype = Object.assign(Object.create(Error.prototype) as object, { constructor: undefined });
    expect(findUnportableValue(Object.create(prototype))).to.equal('Error (an Error subclass arrives as a plain Error)');
  });
});
