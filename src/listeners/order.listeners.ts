import type { AuditService } from '../services/audit.service.js';
import { idempotencyKey, type HandledMessageService } from '../services/handled-message.service.js';
import type { Mailer } from '../services/mailer.js';
import { orderCanceled, orderPlaced, orderShipped } from '../services/order.signals.js';
import { ReadCache } from '../services/read-cache.js';
import type { ConnectionScope } from '../signals/index.js';

export interface OrderListenerDeps {
  readonly mailer: Mailer;
  /** Absent when this process serves no cached reads (a broker backend): nothing is invalidated. */
  readonly cache?: ReadCache;
  readonly audit: Pick<AuditService, 'record'>;
  /** Skips mail a redelivered message already sent. */
  readonly handled: Pick<HandledMessageService, 'atLeastOnce'>;
}

const cents = (amount: number): string => `${(amount / 100).toFixed(2)}`;

/**
 * Connects the receivers of the order signals; returns their scopes, to dispose. They handle
 * consequences only: the stock is reserved and released by the order's own transactions, as
 * a rule that must hold cannot wait for a listener that may run late, twice, or fail. Every receiver
 * with a side effect passes its name and the message id down (`once`), so that a broker's
 * redelivery of the same message does not apply the effect twice.
 */
export function registerOrderListeners(deps: OrderListenerDeps): ConnectionScope[] {
  // Connected first: the next read must not see the old order, whatever fails after.
  const invalidations = deps.cache === undefined ? [] : connectOrderInvalidations(deps.cache);
  return [...invalidations, ...connectOrderPlaced(deps), ...connectOrderShipped(deps), ...connectOrderCanceled(deps)];
}

function connectOrderPlaced({ mailer, audit, handled }: OrderListenerDeps): ConnectionScope[] {
  return [
    orderPlaced.connectedTo(async function sendOrderConfirmation({ orderId, customerEmail, total }, context) {
      // Marked after a successful send (at least once: a crash in between mails twice, never zero times).
      const text = `We received order ${orderId}; the total is ${cents(total)}.`;
      const mail = { to: customerEmail, subject: `Order ${orderId} confirmed`, text };
      await handled.atLeastOnce(idempotencyKey(sendOrderConfirmation.name, context), () => mailer.send(mail));
    }),
    orderPlaced.connectedTo(async function auditOrderPlaced({ orderId, ...data }, context) {
      await audit.record(orderPlaced.name, 'order', orderId, data, { once: idempotencyKey(auditOrderPlaced.name, context) });
    }),
  ];
}

function connectOrderShipped({ mailer, audit, handled }: OrderListenerDeps): ConnectionScope[] {
  return [
    orderShipped.connectedTo(async function sendTrackingEmail({ orderId, customerEmail, trackingNumber }, context) {
      const text = `Order ${orderId} is on its way; tracking number ${trackingNumber}.`;
      const mail = { to: customerEmail, subject: `Order ${orderId} shipped`, text };
      await handled.atLeastOnce(idempotencyKey(sendTrackingEmail.name, context), () => mailer.send(mail));
    }),
    orderShipped.connectedTo(async function auditOrderShipped({ orderId, trackingNumber }, context) {
      const once = idempotencyKey(auditOrderShipped.name, context);
      await audit.record(orderShipped.name, 'order', orderId, { trackingNumber }, { once });
    }),
  ];
}

function connectOrderCanceled({ mailer, audit, handled }: OrderListenerDeps): ConnectionScope[] {
  return [
    orderCanceled.connectedTo(async function refundPayment({ orderId, paymentId, total }, context) {
      // The demo has no payment provider: the refund is the audit record of it.
      const once = idempotencyKey(refundPayment.name, context);
      await audit.record('order.refunded', 'order', orderId, { paymentId, amount: total }, { once });
    }),
    orderCanceled.connectedTo(async function sendCancellationEmail({ orderId, customerEmail, total }, context) {
      const text = `Order ${orderId} is canceled; ${cents(total)} will be refunded.`;
      const mail = { to: customerEmail, subject: `Order ${orderId} canceled`, text };
      await handled.atLeastOnce(idempotencyKey(sendCancellationEmail.name, context), () => mailer.send(mail));
    }),
    orderCanceled.connectedTo(async function auditOrderCanceled({ orderId, ...data }, context) {
      await audit.record(orderCanceled.name, 'order', orderId, data, { once: idempotencyKey(auditOrderCanceled.name, context) });
    }),
  ];
}

function connectOrderInvalidations(cache: ReadCache): ConnectionScope[] {
  const invalidateOrderCache = ({ orderId }: { orderId: number }): void =>
    void cache.delete(ReadCache.key('order', orderId));
  return [orderShipped.connectedTo(invalidateOrderCache), orderCanceled.connectedTo(invalidateOrderCache)];
}
