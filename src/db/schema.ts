import type { Generated } from 'kysely';

/** Tables as the code sees them; CamelCasePlugin maps them to snake_case columns. */
export interface Database {
  users: UsersTable;
  products: ProductsTable;
  orders: OrdersTable;
  orderItems: OrderItemsTable;
  auditEvents: AuditEventsTable;
  handledMessages: HandledMessagesTable;
}

// Timestamps are ISO-8601 text so that SQLite and PostgreSQL return the same thing.
export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProductsTable {
  sku: string;
  name: string;
  /** Integer cents. */
  price: number;
  onHand: number;
  reserved: number;
}

export interface OrdersTable {
  id: Generated<number>;
  status: 'placed' | 'shipped' | 'canceled';
  customerEmail: string;
  total: number;
  paymentId: string;
  trackingNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderItemsTable {
  id: Generated<number>;
  orderId: number;
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  signal: string;
  entity: 'user' | 'order';
  entityId: number;
  /** JSON text. */
  data: string;
  createdAt: string;
}

/** One row per message a receiver has handled; the primary key is `(receiver, messageId)`. */
export interface HandledMessagesTable {
  receiver: string;
  messageId: string;
  /** When it was marked, or claimed (`sending`). */
  handledAt: string;
  /** `done`, or `sending` while an effect outside the database runs. */
  state: Generated<'done' | 'sending'>;
}
