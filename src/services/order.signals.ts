import { Signal } from '../signals/index.js';

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface OrderPlaced {
  orderId: number;
  customerEmail: string;
  /** Integer cents. */
  total: number;
  items: OrderLine[];
}

export interface OrderShipped {
  orderId: number;
  customerEmail: string;
  trackingNumber: string;
}

export interface OrderCanceled {
  orderId: number;
  customerEmail: string;
  /** Integer cents: what is refunded. */
  total: number;
  items: OrderLine[];
  paymentId: string;
}

/** Sent after an order is committed. */
export const orderPlaced = new Signal<OrderPlaced>('order.placed');
/** Sent after an order's move to `shipped` is committed. */
export const orderShipped = new Signal<OrderShipped>('order.shipped');
/** Sent after an order's move to `canceled` is committed. */
export const orderCanceled = new Signal<OrderCanceled>('order.canceled');
