import type { Db } from '../db/connection.js';
import type { OrdersTable } from '../db/schema.js';
import { now, type CrudRepository, type Page, type PageOf } from './crud.repository.js';

export type OrderStatus = OrdersTable['status'];

export interface OrderItem {
  sku: string;
  quantity: number;
  /** Integer cents, the price when the order was placed. */
  unitPrice: number;
}

export interface Order {
  id: number;
  status: OrderStatus;
  customerEmail: string;
  items: OrderItem[];
  /** Integer cents. */
  total: number;
  paymentId: string;
  trackingNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewOrderRow {
  customerEmail: string;
  items: OrderItem[];
  total: number;
  paymentId: string;
}

export interface OrderChanges {
  status?: OrderStatus;
  trackingNumber?: string;
}

const ORDER_COLUMNS = ['id', 'status', 'customerEmail', 'total', 'paymentId', 'trackingNumber', 'createdAt', 'updatedAt'] as const;
type OrderRow = Omit<Order, 'items'>;

export class OrderRepository implements CrudRepository<Order, NewOrderRow, OrderChanges> {
  constructor(private readonly db: Db) {}

  withExecutor(executor: Db): this {
    return new OrderRepository(executor) as this;
  }

  async findById(id: number): Promise<Order | undefined> {
    const row = await this.db.selectFrom('orders').select(ORDER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.#withItems(row);
  }

  async findByIdForUpdate(id: number): Promise<Order | undefined> {
    const row = await this.db.selectFrom('orders').select(ORDER_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    return row === undefined ? undefined : this.#withItems(row);
  }

  async list({ limit, offset }: Page): Promise<PageOf<Order>> {
    const rows = await this.db.selectFrom('orders').select(ORDER_COLUMNS).orderBy('id').limit(limit).offset(offset).execute();
    const { count } = await this.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    return { items: await Promise.all(rows.map((row) => this.#withItems(row))), total: Number(count) };
  }

  /** Writes the order and its items; call it inside a transaction so they land together. */
  async insert({ items, ...order }: NewOrderRow): Promise<Order> {
    const timestamp = now();
    const row = await this.db
      .insertInto('orders')
      .values({ ...order, status: 'placed', trackingNumber: null, createdAt: timestamp, updatedAt: timestamp })
      .returning(ORDER_COLUMNS)
      .executeTakeFirstOrThrow();
    await this.db.insertInto('orderItems').values(items.map((item) => ({ ...item, orderId: row.id }))).execute();
    return { ...row, items };
  }

  async update(id: number, changes: OrderChanges): Promise<Order | undefined> {
    const row = await this.db
      .updateTable('orders')
      .set({ ...changes, updatedAt: now() })
      .where('id', '=', id)
      .returning(ORDER_COLUMNS)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#withItems(row);
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('orders').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async #withItems(row: OrderRow): Promise<Order> {
    const items = await this.db
      .selectFrom('orderItems')
      .select(['sku', 'quantity', 'unitPrice'])
      .where('orderId', '=', row.id)
      .orderBy('id')
      .execute();
    return { ...row, items };
  }
}
