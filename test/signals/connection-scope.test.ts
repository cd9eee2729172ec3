import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBackend, Signal, captureSignals, resetBackend, setBackend } from '../../src/signals/index.js';

describe('Signal.connectedTo() scopes', () => {
  let signal: Signal<string>;

  beforeEach(() => {
    setBackend(new InProcessBackend());
    signal = new Signal<string>('report.ready');
  });

  afterEach(() => {
    sinon.restore();
    resetBackend();
  });

  it('when a scope whose receiver was connected before it is disposed twice, then the receiver stays connected', async () => {
    const receiver = signal.connect(sinon.spy());
    const scope = signal.connectedTo(receiver);
    scope.dispose();
    scope.dispose();
    expect(signal.receivers).to.deep.equal([receiver]);
    await signal.send('monthly');
    expect(receiver.calledOnceWith('monthly')).to.be.true;
  });

  it('when a scope is disposed, its receiver connected again, and the scope disposed once more, then the new connection stays', () => {
    const receiver = sinon.spy();
    const scope = signal.connectedTo(receiver);
    scope.dispose();
    signal.connect(receiver);
    scope[Symbol.dispose]();
    expect(signal.receivers).to.deep.equal([receiver]);
  });

  it('when the receiver is not a function, then connectedTo() throws a TypeError naming the signal', () => {
    expect(() => signal.connectedTo(42 as unknown as () => void)).to.throw(
      TypeError,
      "A receiver of signal 'report.ready' must be a function, got number",
    );
    expect(() => signal.connect(undefined as unknown as () => void)).to.throw(
      TypeError,
      "A receiver of signal 'report.ready' must be a function, got undefined",
    );
  });

  it('when the body resolves, then connectedTo() resolves to its value, awaited', async () => {
    expect(await signal.connectedTo(sinon.spy(), () => Promise.resolve(42))).to.equal(42);
  });

  describe('captureSignals()', () => {
    it('when the capture is disposed by `using`, then its receivers are gone and receivers connected before stay', async () => {
      const before = signal.connect(sinon.spy());
      {
        using captured = captureSignals(signal);
        await signal.send('daily');
        expect(captured.sent(signal)).to.deep.equal(['daily']);
        expect(captured.all).to.deep.equal([{ signal, payload: 'daily' }]);
      }
      expect(signal.receivers).to.deep.equal([before]);
    });

    it('when asked about a signal it does not capture, then the error names that signal and says what to do', () => {
      const other = new Signal('report.failed');
      using captured = captureSignals(signal);
      expect(() => captured.sent(other)).to.throw("Signal 'report.failed' is not captured: pass it to captureSignals()");
    });
  });
});
