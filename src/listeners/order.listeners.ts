import type { AuditService } from '../services/audit.service.js';
import type { Mailer } from '../services/mailer.js';
import { orderCanceled, orderPlaced, orderShipped } from '../services/order.signals.js';
import type { ProductService } from '../services/product.service.js';
import { ReadCache } from '../services/read-cache.js';
import type { ConnectionScope } from '../signals/index.js';

export interface OrderListenerDeps {
  readonly mailer: Mailer;
  /** Absent when this process serves no cached reads (a broker backend): nothing is invalidated. */
  readonly cache?: ReadCache;
  readonly audit: Pick<AuditService, 'record'>;
  readonly products: Pick<ProductService, 'reserve' | 'release'>;
}

const cents = (amount: number): string => `${(amount / 100).toFixed(2)}`;

/** Connects the receivers of the order signals; returns their scopes, to dispose. */
export function registerOrderListeners({ mailer, cache, audit, products }: OrderListenerDeps): ConnectionScope[] {
  // Connected first: the next read must not see the old order, whatever fails after.
  const invalidations = cache === undefined ? [] : connectOrderInvalidations(cache);
  return [
    ...invalidations,
    orderPlaced.connectedTo(async function reserveStock({ items }) {
      await products.reserve(items);
    }),
    orderPlaced.connectedTo(async function sendOrderConfirmation({ orderId, customerEmail, total }) {
      const text = `We received order ${orderId}; the total is ${cents(total)}.`;
      await mailer.send({ to: customerEmail, subject: `Order ${orderId} confirmed`, text });
    }),
    orderPlaced.connectedTo(async function auditOrderPlaced({ orderId, ...data }) {
      await audit.record(orderPlaced.name, 'order', orderId, data);
    }),
    orderShipped.connectedTo(async function sendTrackingEmail({ orderId, customerEmail, trackingNumber }) {
      const text = `Order ${orderId} is on its way; tracking number ${trackingNumber}.`;
      await mailer.send({ to: customerEmail, subject: `Order ${orderId} shipped`, text });
    }),
    orderShipped.connectedTo(async function auditOrderShipped({ orderId, trackingNumber }) {
      await audit.record(orderShipped.name, 'order', orderId, { trackingNumber });
    }),
    orderCanceled.connectedTo(async function releaseStock({ items }) {
      await products.release(items);
    }),
    orderCanceled.connectedTo(async function refundPayment({ orderId, paymentId, total }) {
      // The demo has no payment provider: the refund is the audit record of it.
      await audit.record('order.refunded', 'order', orderId, { paymentId, amount: total });
    }),
    orderCanceled.connectedTo(async function sendCancellationEmail({ orderId, customerEmail, total }) {
      const text = `Order ${orderId} is canceled; ${cents(total)} will be refunded.`;
      await mailer.send({ to: customerEmail, subject: `Order ${orderId} canceled`, text });
    }),
    orderCanceled.connectedTo(async function auditOrderCanceled({ orderId, ...data }) {
      await audit.record(orderCanceled.name, 'order', orderId, data);
    }),
  ];
}

function connectOrderInvalidations(cache: ReadCache): ConnectionScope[] {
  const invalidateOrderCache = ({ orderId }: { orderId: number }): void =>
    void cache.delete(ReadCache.key('order', orderId));
  return [orderShipped.connectedTo(invalidateOrderCache), orderCanceled.connectedTo(invalidateOrderCache)];
}
