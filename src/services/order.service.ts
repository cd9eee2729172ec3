import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { NewOrderRow, Order, OrderChanges, OrderRepository, OrderStatus } from '../repositories/order.repository.js';
import type { Product, ProductRepository } from '../repositories/product.repository.js';
import { BaseCrudService, type CrudServiceDeps } from './base-crud.service.js';
import { orderCanceled, orderPlaced, orderShipped, type OrderLine } from './order.signals.js';

export interface PlaceOrderInput {
  customerEmail: string;
  items: OrderLine[];
}

export interface OrderServiceDeps extends CrudServiceDeps<OrderRepository> {
  readonly products: ProductRepository;
}

/** The only moves an order can make; anything else is a 409. */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  placed: ['shipped', 'canceled'],
  shipped: [],
  canceled: [],
};

/**
 * Orders: prices and stock are checked inside the placing transaction. The stock itself is
 * reserved by a listener of `order.placed`, after the commit; see the README on what that
 * trades away.
 */
export class OrderService extends BaseCrudService<Order, PlaceOrderInput, OrderChanges, NewOrderRow, OrderChanges> {
  protected readonly entityName = 'order';
  readonly #products: ProductRepository;

  constructor(deps: OrderServiceDeps) {
    super(deps);
    this.#products = deps.products;
  }

  /** @throws NotFoundError, or ConflictError when the order is not `placed`. */
  ship(id: number, trackingNumber: string): Promise<Order> {
    return this.update(id, { status: 'shipped', trackingNumber });
  }

  /** @throws NotFoundError, or ConflictError when the order is not `placed`. */
  cancel(id: number): Promise<Order> {
    return this.update(id, { status: 'canceled' });
  }

  /** @throws ValidationError for an unknown sku, ConflictError when stock is short. */
  protected override async beforeCreate({ customerEmail, items }: PlaceOrderInput, trx: Db): Promise<NewOrderRow> {
    const wanted = quantitiesBySku(items);
    const products = await this.#products.withExecutor(trx).findBySkus([...wanted.keys()]);
    const bySku = new Map(products.map((product) => [product.sku, product]));
    const unknownSkus = [...wanted.keys()].filter((sku) => !bySku.has(sku));
    if (unknownSkus.length > 0) throw new ValidationError('Unknown sku', { unknownSkus });
    assertInStock(wanted, bySku);
    const lines = items.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: priceOf(bySku, sku) }));
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    // Stands in for a payment provider's capture id.
    return { customerEmail, items: lines, total, paymentId: `pay_${randomUUID()}` };
  }

  protected override beforeUpdate(id: number, changes: OrderChanges, current: Order): OrderChanges {
    const next = changes.status;
    if (next !== undefined && !TRANSITIONS[current.status].includes(next)) {
      throw new ConflictError(`Order ${id} is ${current.status}; it cannot become ${next}`);
    }
    return changes;
  }

  protected override async afterCreate(order: Order): Promise<void> {
    const { id: orderId, customerEmail, total } = order;
    await orderPlaced.send({ orderId, customerEmail, total, items: linesOf(order) });
  }

  protected override async afterUpdate(order: Order, previous: Order): Promise<void> {
    if (order.status === previous.status) return;
    const { id: orderId, customerEmail } = order;
    if (order.status === 'shipped') {
      await orderShipped.send({ orderId, customerEmail, trackingNumber: order.trackingNumber ?? '' });
    } else if (order.status === 'canceled') {
      const { total, paymentId } = order;
      await orderCanceled.send({ orderId, customerEmail, total, items: linesOf(order), paymentId });
    }
  }
}

function quantitiesBySku(items: readonly OrderLine[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const { sku, quantity } of items) wanted.set(sku, (wanted.get(sku) ?? 0) + quantity);
  return wanted;
}

function assertInStock(wanted: Map<string, number>, bySku: Map<string, Product>): void {
  for (const [sku, quantity] of wanted) {
    const available = bySku.get(sku)?.available ?? 0;
    if (quantity > available) throw new ConflictError(`Not enough stock for ${sku}: ${available} available`);
  }
}

function priceOf(bySku: Map<string, Product>, sku: string): number {
  return bySku.get(sku)?.price ?? 0;
}

function linesOf(order: Order): OrderLine[] {
  return order.items.map(({ sku, quantity }) => ({ sku, quantity }));
}
