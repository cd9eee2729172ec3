import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { errorLogFields } from '../../src/signals/index.js';

// What a log line says about a thrown value: errorName, errorMessage, stack, errorDetails.
describe('errorLogFields()', () => {
  it('when the Error comes from another realm (vm, a worker), then its line still has its name, message and stack', () => {
    const foreign = runInNewContext('new TypeError("from another realm")') as Error;
    const fields = errorLogFields(foreign);
    expect(fields).to.include({ errorName: 'TypeError', errorMessage: 'from another realm' });
    expect(fields.stack).to.be.a('string').and.include('TypeError: from another realm');
  });

  it('when a thrown object has a message of 2000 characters, then it is kept whole; past that, cut with an ellipsis', () => {
    expect(errorLogFields({ message: 'x'.repeat(2000) }).errorMessage).to.equal('x'.repeat(2000));
    expect(errorLogFields({ message: 'x'.repeat(2001) }).errorMessage).to.equal(`${'x'.repeat(2000)}…`);
  });

  it('when the thrown object has no fields, then the line has no errorDetails', () => {
    expect(errorLogFields({})).to.deep.equal({ errorName: 'Object', errorMessage: '{}' });
  });

  it('when the thrown value is a Map of Maps, then the message shows it four levels deep', () => {
    const nested = new Map([['a', new Map([['b', new Map([['c', new Map([['d', 1]])]])]])]]);
    expect(errorLogFields(nested).errorMessage).to.include("'d' => 1");
  });

  it('when the thrown value is a large Map, then the message is one line', () => {
    const large = new Map(Array.from({ length: 30 }, (_, index) => [`key${index}`, index]));
    const { errorName, errorMessage } = errorLogFields(large);
    expect(errorName).to.equal('Map');
    expect(errorMessage).to.match(/^Map\(30\) \{ 'key0' => 0, /).and.not.include('\n');
  });

  it('when even describing the value throws, then the message says it could not be read', () => {
    const hostile = {
      [Symbol.for('nodejs.util.inspect.custom')]() {
        throw new Error('cannot be shown');
      },
    };
    expect(errorLogFields(hostile)).to.deep.equal({ errorName: 'Object', errorMessage: 'an unreadable object (a revoked Proxy?)' });
  });

  for (const [label, value, name] of [
    ['an object with no prototype', Object.assign(Object.create(null) as object, { code: 'E_GONE' }), 'Object'],
    ['an instance of a named class', new (class Payment {
      amount = 1;
    })(), 'Payment'],
    ['an instance of an anonymous class', new ([class {
      amount = 1;
    }][0]!)(), 'Object'],
    ['an object whose constructor field is data', { constructor: { name: 7 }, amount: 1 }, 'Object'],
  ] as const) {
    it(`when the thrown value is ${label}, then errorName is ${name}`, () => {
      expect(errorLogFields(value).errorName).to.equal(name);
    });
  }
});
