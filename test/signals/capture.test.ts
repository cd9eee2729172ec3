import { expect } from 'chai';
import { InProcessBackend, Signal, captureSignals, resetBackend, setBackend } from '../../src/signals/index.js';

describe('captureSignals()', () => {
  const created = new Signal<{ id: number }>('thing.created');
  const deleted = new Signal<{ id: number }>('thing.deleted');

  beforeEach(() => setBackend(new InProcessBackend()));
  afterEach(() => resetBackend());

  it('when signals are sent, then sent() returns each signal\'s payloads in order', async () => {
    using captured = captureSignals(created, deleted);
    await created.send({ id: 1 });
    await deleted.send({ id: 1 });
    await created.send({ id: 2 });
    expect(captured.sent(created)).to.deep.equal([{ id: 1 }, { id: 2 }]);
    expect(captured.sent(deleted)).to.deep.equal([{ id: 1 }]);
    expect(captured.all.map((entry) => entry.signal.name)).to.deep.equal([
      'thing.created',
      'thing.deleted',
      'thing.created',
    ]);
  });

  it('when cleared, then it forgets what it saw and keeps capturing', async () => {
    using captured = captureSignals(created);
    await created.send({ id: 1 });
    captured.clear();
    await created.send({ id: 2 });
    expect(captured.sent(created)).to.deep.equal([{ id: 2 }]);
  });

  it('when disposed, then its receivers are disconnected and later sends are not captured', async () => {
    const captured = captureSignals(created);
    captured.dispose();
    captured.dispose();
    await created.send({ id: 1 });
    expect(created.hasReceivers).to.be.false;
    expect(captured.sent(created)).to.deep.equal([]);
  });

  it('when asked about a signal it does not capture, then it throws instead of answering "nothing"', () => {
    using captured = captureSignals(created);
    expect(() => captured.sent(deleted)).to.throw(/not captured/);
  });
});
