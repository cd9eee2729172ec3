import { expect } from 'chai';
import request from 'supertest';
import { orderPlaced } from '../../src/services/order.signals.js';
import { userCreated, userPasswordChanged } from '../../src/services/user.signals.js';
import { redeliver } from '../../src/signals/brokers/index.js';
import type { Signal } from '../../src/signals/index.js';
import { useTestApp } from '../support/test-app.js';

/** The app's receiver `name`, run as a broker backend runs delivery `attempt` of `messageId` (see redeliver). */
function deliver<T>(signal: Signal<T>, name: string, payload: T, attempt: number, messageId = 'msg-1'): Promise<void> {
  return redeliver(signal, name, payload, { messageId, attempt });
}

describe('the listeners on a redelivered message', () => {
  const t = useTestApp();
  const ada = { id: 1, email: 'ada@example.com', name: 'Ada' };
  const order = { orderId: 7, customerEmail: 'ada@example.com', total: 2500, items: [{ sku: 'WIDGET-1', quantity: 2 }] };

  it('when auditUserCreated gets the same message twice, then GET /audit-events shows one row', async () => {
    await deliver(userCreated, 'auditUserCreated', ada, 1);
    await deliver(userCreated, 'auditUserCreated', ada, 2);
    const events = (await request(t().app).get('/audit-events?entity=user&entityId=1').expect(200)).body as unknown[];
    expect(events).to.have.length(1);
  });

  it('when auditOrderPlaced gets the same message twice, then GET /audit-events shows one row', async () => {
    await deliver(orderPlaced, 'auditOrderPlaced', order, 1);
    await deliver(orderPlaced, 'auditOrderPlaced', order, 2);
    const events = (await request(t().app).get('/audit-events?entity=order&entityId=7').expect(200)).body as unknown[];
    expect(events).to.have.length(1);
  });

  it('when sendWelcomeEmail gets the same message twice, then one welcome mail is in the mailbox', async () => {
    await deliver(userCreated, 'sendWelcomeEmail', ada, 1);
    await deliver(userCreated, 'sendWelcomeEmail', ada, 2);
    const mails = (await request(t().app).get('/dev/mailbox').expect(200)).body as { subject: string }[];
    expect(mails.map((mail) => mail.subject)).to.deep.equal(['Welcome, Ada']);
  });

  // #region guide:password-changed-redelivery-test
  it('when the password-changed receivers get the same message twice, then one notice is mailed and one audit row shows', async () => {
    for (const attempt of [1, 2]) {
      await deliver(userPasswordChanged, 'sendPasswordChangedEmail', { id: 1, email: ada.email }, attempt);
      await deliver(userPasswordChanged, 'auditPasswordChanged', { id: 1, email: ada.email }, attempt);
    }
    const mails = (await request(t().app).get('/dev/mailbox').expect(200)).body as { subject: string }[];
    expect(mails.map((mail) => mail.subject)).to.deep.equal(['Your password was changed']);
    const events = (await request(t().app).get('/audit-events?entity=user&entityId=1').expect(200)).body as { signal: string }[];
    expect(events.map((event) => event.signal)).to.deep.equal(['user.password_changed']);
  });
  // #endregion

  it('when the message ids differ, then each delivery applies its effect', async () => {
    await deliver(userCreated, 'auditUserCreated', ada, 1);
    await deliver(userCreated, 'auditUserCreated', ada, 1, 'msg-2');
    const events = (await request(t().app).get('/audit-events?entity=user&entityId=1').expect(200)).body as unknown[];
    expect(events).to.have.length(2);
  });
});
