import { expect } from 'chai';
import { RabbitMQBackend, ReceiverNamingError, RedisStreamsBackend } from '../../../src/signals/brokers/index.js';
import { retryDelayMs } from '../../../src/signals/brokers/timing.js';
import { Signal } from '../../../src/signals/index.js';

// Connect-time rules need no server: a backend that does not consume opens no connection.
for (const Backend of [RedisStreamsBackend, RabbitMQBackend]) {
  describe(`${Backend.name} connect()`, () => {
    it('when the receiver is anonymous, then it throws a ReceiverNamingError that says how to name it', () => {
      const backend = new Backend();
      const signal = new Signal<number>('user.created');
      expect(() => backend.connect(signal, () => undefined)).to.throw(ReceiverNamingError, /connect\(fn, \{ name/);
      expect(backend.receivers(signal)).to.deep.equal([]);
    });

    it('when an anonymous receiver is given a name, then it is connected under that name', () => {
      const backend = new Backend();
      const signal = new Signal<number>('user.created');
      const anonymous = [(): void => undefined][0] as () => void; // an array element gets no name
      expect(anonymous.name).to.equal('');
      expect(backend.connect(signal, anonymous, { name: 'sendWelcomeEmail' })).to.equal(true);
      expect(backend.receivers(signal)).to.deep.equal([anonymous]);
    });

    it('when two Signal objects share a name, then connecting to the second throws', () => {
      const backend = new Backend();
      backend.connect(new Signal<number>('user.created'), function sendWelcomeEmail() {});
      expect(() => backend.connect(new Signal<number>('user.created'), function recordAudit() {})).to.throw(
        ReceiverNamingError,
        /Two different Signal objects are named 'user.created'/,
      );
    });

    it('when two receivers of one signal share a name, then connecting the second throws', () => {
      const backend = new Backend();
      const signal = new Signal<number>('user.created');
      backend.connect(signal, function sendWelcomeEmail() {});
      expect(() => backend.connect(signal, () => undefined, { name: 'sendWelcomeEmail' })).to.throw(ReceiverNamingError);
    });

    it('when the same receiver is connected twice, then the second connect is ignored', () => {
      const backend = new Backend();
      const signal = new Signal<number>('user.created');
      const sendWelcomeEmail = (): void => undefined;
      expect(backend.connect(signal, sendWelcomeEmail)).to.equal(true);
      expect(backend.connect(signal, sendWelcomeEmail)).to.equal(false);
      expect(backend.disconnect(signal, sendWelcomeEmail)).to.equal(true);
      expect(backend.receivers(signal)).to.deep.equal([]);
    });

    it('when maxAttempts is not a positive integer, then the constructor throws a RangeError', () => {
      expect(() => new Backend({ maxAttempts: 0 })).to.throw(RangeError, /maxAttempts/);
    });
  });
}

describe('retryDelayMs()', () => {
  it('when attempts fail one after another, then the delay doubles with jitter up to the cap', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 350 };
    const delays = [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, options));
    expect(delays[0]).to.be.within(80, 100);
    expect(delays[1]).to.be.within(160, 200);
    expect(delays[2]).to.be.within(280, 350);
    expect(delays[3]).to.be.within(280, 350);
  });
});
