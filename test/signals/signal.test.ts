import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBackend, Signal, resetBackend, setBackend } from '../../src/signals/index.js';

interface UserCreated {
  id: number;
  email: string;
}

const user: UserCreated = { id: 1, email: 'ada@example.com' };

describe('Signal', () => {
  let signal: Signal<UserCreated>;

  beforeEach(() => {
    setBackend(new InProcessBackend());
    signal = new Signal<UserCreated>('user.created');
  });

  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  describe('constructor', () => {
    it('when given a name, then exposes it as name', () => {
      expect(signal.name).to.equal('user.created');
    });

    it('when the name is empty, then it throws a TypeError', () => {
      expect(() => new Signal('  ')).to.throw(TypeError, /non-empty name/);
    });
  });

  describe('connect()', () => {
    it('when a receiver is connected, then it returns the same function', () => {
      const receiver = (): void => undefined;
      expect(signal.connect(receiver)).to.equal(receiver);
    });

    it('when the same receiver is connected twice, then it runs once per send', async () => {
      const receiver = sinon.spy();
      signal.connect(receiver);
      signal.connect(receiver);
      await signal.send(user);
      expect(receiver.callCount).to.equal(1);
      expect(signal.receivers).to.have.length(1);
    });

    it('when given something that is not a function, then it throws a TypeError', () => {
      expect(() => signal.connect('nope' as unknown as () => void)).to.throw(TypeError, /must be a function/);
    });
  });

  describe('disconnect()', () => {
    it('when the receiver was connected, then it returns true and the receiver no longer runs', async () => {
      const receiver = sinon.spy();
      signal.connect(receiver);
      expect(signal.disconnect(receiver)).to.be.true;
      await signal.send(user);
      expect(receiver.called).to.be.false;
    });

    it('when the receiver was never connected, then it returns false and changes nothing', () => {
      const connected = signal.connect(() => undefined);
      expect(signal.disconnect(() => undefined)).to.be.false;
      expect(signal.receivers).to.deep.equal([connected]);
    });
  });

  describe('receivers', () => {
    it('when read, then it lists the receivers in connection order', () => {
      const first = signal.connect(function first() {});
      const second = signal.connect(function second() {});
      expect(signal.receivers).to.deep.equal([first, second]);
    });

    it('when the returned array is changed, then the signal is not', () => {
      signal.connect(() => undefined);
      signal.receivers.length = 0;
      expect(signal.receivers).to.have.length(1);
    });
  });

  describe('hasReceivers', () => {
    it('when nothing is connected, then it is false; after a connect, true', () => {
      expect(signal.hasReceivers).to.be.false;
      signal.connect(() => undefined);
      expect(signal.hasReceivers).to.be.true;
    });
  });

  describe('connectedTo()', () => {
    it('when given a body, then the receiver is connected only while the body runs', async () => {
      const receiver = sinon.spy();
      const result = await signal.connectedTo(receiver, async () => {
        await signal.send(user);
        return 'done';
      });
      await signal.send(user);
      expect(result).to.equal('done');
      expect(receiver.callCount).to.equal(1);
      expect(signal.hasReceivers).to.be.false;
    });

    it('when the body throws, then the receiver is disconnected and the error reaches the caller', async () => {
      const failing = signal.connectedTo(sinon.spy(), () => {
        throw new Error('body failed');
      });
      const error = await failing.catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error).with.property('message', 'body failed');
      expect(signal.hasReceivers).to.be.false;
    });

    it('when used with `using`, then the receiver is disconnected at the end of the block', async () => {
      const receiver = sinon.spy();
      {
        using _scope = signal.connectedTo(receiver);
        await signal.send(user);
      }
      await signal.send(user);
      expect(receiver.callCount).to.equal(1);
      expect(signal.hasReceivers).to.be.false;
    });

    it('when the block with `using` throws, then the receiver is still disconnected', () => {
      const run = (): void => {
        using _scope = signal.connectedTo(sinon.spy());
        throw new Error('block failed');
      };
      expect(run).to.throw('block failed');
      expect(signal.hasReceivers).to.be.false;
    });

    it('when the receiver was already connected, then it stays connected afterwards', async () => {
      const receiver = signal.connect(sinon.spy());
      await signal.connectedTo(receiver, () => undefined);
      expect(signal.receivers).to.deep.equal([receiver]);
    });
  });

  describe('toString()', () => {
    it('when two receivers are connected, then it names the signal and counts them', () => {
      signal.connect(() => undefined);
      signal.connect(() => undefined);
      expect(String(signal)).to.equal("Signal(name='user.created', receivers=2)");
    });
  });

  describe('typing', () => {
    it('when the payload misses a required field, then it does not compile, and forced through it reaches receivers as sent', async () => {
      const receiver = signal.connect(sinon.spy());
      // @ts-expect-error: `email` is required by UserCreated (npm run typecheck fails without this line)
      const errors = await signal.send({ id: 1 });
      expect(errors).to.deep.equal([]);
      expect(receiver.firstCall.args[0]).to.deep.equal({ id: 1 });
    });

    it('when the signal has no payload, then send() takes no argument', async () => {
      const ping = new Signal('ping');
      const receiver = sinon.spy();
      ping.connect(receiver);
      expect(await ping.send()).to.deep.equal([]);
      expect(receiver.calledOnce).to.be.true;
    });
  });
});
