import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import { userCreated } from '../../src/services/user.signals.js';
import { describeThrown, errorLogFields } from '../../src/signals/index.js';
import { useTestApp } from '../support/test-app.js';

// Whatever is thrown or rejected is logged with its fields, never as "[object Object]".
describe('logging what was thrown', () => {
  describe('a failed request', () => {
    const t = useTestApp();
    afterEach(() => sinon.restore());

    it('when a route dependency rejects with a plain object, then the 500 is logged with its fields', async () => {
      sinon.stub(t().container.users, 'list').rejects({ code: 'ECONNRESET', detail: 'socket hang up' });
      await request(t().app).get('/users').set('X-Request-Id', 'req-plain').expect(500);

      const [logged] = t().logs.at('error');
      expect(logged).to.include({ message: 'Unhandled error', requestId: 'req-plain', errorName: 'Object' });
      expect(logged?.errorMessage).to.equal('{"code":"ECONNRESET","detail":"socket hang up"}');
      expect(logged?.errorDetails).to.deep.equal({ code: 'ECONNRESET', detail: 'socket hang up' });
      expect(JSON.stringify(logged)).not.to.contain('[object Object]');
    });

    it('when it rejects with an error that has a code and a cause, then both are in the log line', async () => {
      const error = Object.assign(new Error('query failed', { cause: { code: '57P01', detail: 'terminating connection' } }), { code: 'E_QUERY' });
      sinon.stub(t().container.users, 'list').rejects(error);
      await request(t().app).get('/users').expect(500);

      const [logged] = t().logs.at('error');
      expect(logged).to.include({ errorName: 'Error', errorMessage: 'query failed' });
      expect(logged?.stack).to.be.a('string').and.contain('query failed');
      expect(logged?.errorDetails).to.deep.equal({ code: 'E_QUERY', cause: { code: '57P01', detail: 'terminating connection' } });
    });

    for (const [label, value, message] of [
      ['a string', 'socket hang up', 'socket hang up'],
      ['a number', 42, '42'],
    ] as const) {
      it(`when it rejects with ${label}, then the log line says what it was`, async () => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point of the test
        sinon.stub(t().container.users, 'list').callsFake(() => Promise.reject(value));
        await request(t().app).get('/users').expect(500);
        expect(t().logs.at('error')[0]).to.include({ message: 'Unhandled error', errorMessage: message });
      });
    }

    it('when a receiver throws a plain object, then its failure line carries the object as the cause', async () => {
      // The test app's backend, and with it this receiver, is dropped after the test.
      userCreated.connect(function notifyCrm() {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw { status: 502, body: 'Bad Gateway' };
      });
      await request(t().app).post('/users').send({ email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' }).expect(201);
      const failure = t().logs.at('error').find((entry) => entry.receiver === 'notifyCrm');
      expect(failure).to.include({ signal: 'user.created', errorName: 'ReceiverFailedError' });
      expect(failure?.errorDetails).to.deep.equal({ signalName: 'user.created', receiverName: 'notifyCrm', cause: { status: 502, body: 'Bad Gateway' } });
    });
  });

  describe('errorLogFields()', () => {
    it('when the value is circular, then it is described without looping', () => {
      const loop: Record<string, unknown> = { code: 'LOOP' };
      loop.self = loop;
      expect(errorLogFields(loop)).to.deep.equal({
        errorName: 'Object',
        errorMessage: '{"code":"LOOP","self":"[Circular]"}',
        errorDetails: { code: 'LOOP', self: '[Circular]' },
      });
    });

    it('when an object has its own string message, then that is the message', () => {
      expect(errorLogFields({ message: 'quota exceeded', retryInSeconds: 30 })).to.deep.equal({
        errorName: 'Object',
        errorMessage: 'quota exceeded',
        errorDetails: { message: 'quota exceeded', retryInSeconds: 30 },
      });
    });

    it('when a property getter throws, then the value is still described and nothing throws', () => {
      const hostile = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('getter'); } });
      expect(describeThrown(hostile)).to.equal('{ boom: [Getter] }');
    });

    it('when the value is a Map, then the message shows its entries', () => {
      expect(describeThrown(new Map([['a', 1]]))).to.equal("Map(1) { 'a' => 1 }");
    });

    for (const [value, name, message] of [
      [undefined, 'undefined', 'undefined'],
      [null, 'null', 'null'],
      [10n, 'bigint', '10'],
    ] as const) {
      it(`when the value is ${String(value)}, then its type and its text are the fields`, () => {
        expect(errorLogFields(value)).to.deep.equal({ errorName: name, errorMessage: message });
      });
    }

    it('when an error has no other fields, then there are no errorDetails', () => {
      expect(errorLogFields(new TypeError('bad'))).to.have.all.keys('errorName', 'errorMessage', 'stack');
    });
  });
});
