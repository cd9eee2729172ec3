import { expect } from 'chai';
import { ReadCache } from '../../src/services/read-cache.js';

describe('ReadCache', () => {
  it('when a value is read back, then it is a copy the caller cannot use to change the cache', () => {
    const cache = new ReadCache();
    cache.set('user:1', { name: 'Ada' });
    const first = cache.get<{ name: string }>('user:1');
    if (first) first.name = 'Changed';
    expect(cache.get('user:1')).to.deep.equal({ name: 'Ada' });
  });

  it('when the TTL has passed, then the entry is no longer served', () => {
    let now = 0;
    const cache = new ReadCache({ ttlMs: 100, clock: () => now });
    cache.set('user:1', 1);
    now = 99;
    expect(cache.get('user:1')).to.equal(1);
    now = 100;
    expect(cache.get('user:1')).to.equal(undefined);
  });

  it('when it is full, then the least recently used entry goes first', () => {
    const cache = new ReadCache({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).to.deep.equal([1, undefined, 3]);
  });

  it('when an entry is deleted, then the next read misses', () => {
    const cache = new ReadCache();
    cache.set(ReadCache.key('order', 7), { id: 7 });
    expect(cache.delete('order:7')).to.be.true;
    expect(cache.get('order:7')).to.equal(undefined);
  });

  it('when an entry is invalidated while its value is being read, then that value is not stored', () => {
    const cache = new ReadCache();
    const ticket = cache.ticket();
    cache.delete('user:1');
    cache.set('user:1', { name: 'read before the change' }, ticket);
    expect(cache.get('user:1')).to.equal(undefined);
  });

  it('when an entry is deleted and the cache cleared while a value is read, then that value is not stored', () => {
    const cache = new ReadCache();
    const ticket = cache.ticket();
    cache.delete('user:1');
    cache.clear();
    cache.set('user:1', { name: 'read before the change' }, ticket);
    expect(cache.get('user:1')).to.equal(undefined);
  });

  it('when cleared, then every entry is gone', () => {
    const cache = new ReadCache();
    cache.set('user:1', 1);
    cache.set('order:1', 2);
    expect(cache.size).to.equal(2);
    cache.clear();
    expect(cache.size).to.equal(0);
    expect([cache.get('user:1'), cache.get('order:1')]).to.deep.equal([undefined, undefined]);
  });

  for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
    it(`when maxEntries is ${maxEntries}, then the constructor throws a RangeError naming it`, () => {
      expect(() => new ReadCache({ maxEntries })).to.throw(RangeError, `maxEntries must be a positive integer, got ${maxEntries}`);
    });
  }

  for (const ttlMs of [0, -1, Number.NaN]) {
    it(`when ttlMs is ${ttlMs}, then the constructor throws a RangeError naming it`, () => {
      expect(() => new ReadCache({ ttlMs })).to.throw(RangeError, `ttlMs must be a number of milliseconds above 0, got ${ttlMs}`);
    });
  }

  it('when it holds a single entry, then the next one replaces it', () => {
    const cache = new ReadCache({ maxEntries: 1 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect([cache.get('a'), cache.get('b'), cache.size]).to.deep.equal([undefined, 2, 1]);
  });

  it('when the TTL is Infinity, then entries never expire', () => {
    let now = 0;
    const cache = new ReadCache({ ttlMs: Infinity, clock: () => now });
    cache.set('user:1', 1);
    now = Number.MAX_SAFE_INTEGER;
    expect(cache.get('user:1')).to.equal(1);
  });
});
