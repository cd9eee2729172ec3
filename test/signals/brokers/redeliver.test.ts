import { expect } from 'chai';
import { redeliver, UnportablePayloadError } from '../../../src/signals/brokers/index.js';
import { InProcessBackend, resetBackend, setBackend, Signal, type ReceiverContext } from '../../../src/signals/index.js';

describe('redeliver()', () => {
  const invoiceDue = new Signal<{ id: number; dueAt: Date }>('invoice.due');
  beforeEach(() => setBackend(new InProcessBackend()));
  afterEach(() => resetBackend());

  it('when a message is delivered twice, then the receiver sees the same message id, the attempt, and the payload with its types', async () => {
    const seen: { messageId?: string; attempt?: number; dueAt: unknown }[] = [];
    invoiceDue.connect(function remindCustomer(payload, context: ReceiverContext<{ id: number; dueAt: Date }>) {
      seen.push({ messageId: context.messageId, attempt: context.attempt, dueAt: payload.dueAt });
    });
    const payload = { id: 1, dueAt: new Date('2026-12-01T00:00:00Z') };
    await redeliver(invoiceDue, 'remindCustomer', payload, { messageId: 'msg-1', attempt: 1 });
    await redeliver(invoiceDue, 'remindCustomer', payload, { messageId: 'msg-1', attempt: 2 });
    expect(seen).to.deep.equal([
      { messageId: 'msg-1', attempt: 1, dueAt: payload.dueAt },
      { messageId: 'msg-1', attempt: 2, dueAt: payload.dueAt },
    ]);
    expect(seen[0]?.dueAt).to.be.instanceOf(Date).and.not.equal(payload.dueAt);
  });

  it('when no receiver has that name, then it says which ones are connected', async () => {
    invoiceDue.connect(function remindCustomer() {});
    const failure = await redeliver(invoiceDue, 'remindCustomr', { id: 1, dueAt: new Date() }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(Error).with.property('message', "No receiver named remindCustomr on signal 'invoice.due'; connected: remindCustomer");
  });

  it('when the payload would not cross a broker, then it fails as a broker send would', async () => {
    const callback = new Signal<{ done: () => void }>('callback');
    callback.connect(function run() {});
    const failure = await redeliver(callback, 'run', { done: () => undefined }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(UnportablePayloadError);
  });

  it('when the receiver throws, then the test sees the error', async () => {
    invoiceDue.connect(function remindCustomer() {
      throw new Error('mail server down');
    });
    const failure = await redeliver(invoiceDue, 'remindCustomer', { id: 1, dueAt: new Date() }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(Error).with.property('message', 'mail server down');
  });
});
