import { expect } from 'chai';
import sinon from 'sinon';
import { registerListeners } from '../../src/listeners/index.js';
import { orderCanceled, orderShipped } from '../../src/services/order.signals.js';
import { userDeleted, userUpdated } from '../../src/services/user.signals.js';
import { RecordingBackend, resetBackend, setBackend } from '../../src/signals/index.js';

describe('registerListeners()', () => {
  afterEach(() => resetBackend());

  it('when no cache is given (a broker backend), then no invalidation receiver is connected, only the others', () => {
    setBackend(new RecordingBackend());
    const stub = () => ({ send: sinon.stub(), record: sinon.stub(), atLeastOnce: sinon.stub() });
    const dispose = registerListeners({ mailer: stub(), audit: stub(), handled: stub() });
    const names = [userUpdated, userDeleted, orderShipped, orderCanceled].map((signal) =>
      signal.receivers.map((receiver) => receiver.name),
    );
    expect(names).to.deep.equal([
      ['auditUserUpdated'],
      ['auditUserDeleted'],
      ['sendTrackingEmail', 'auditOrderShipped'],
      ['refundPayment', 'sendCancellationEmail', 'auditOrderCanceled'],
    ]);
    dispose();
  });
});
