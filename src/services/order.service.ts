import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { NewOrderRow, Order, OrderChanges, OrderRepository, OrderStatus } from '../repositories/order.repository.js';
import type { ProductRepository } from '../repositories/product.repository.js';
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
 * Orders. The rules that must hold are kept inside the transactions, never by a listener:
 * placing reserves the stock (a conditional update per sku, in sku order so that concurrent
 * orders cannot deadlock), canceling releases it, and a transition is checked on the locked
 * row. The signals announce what committed: mail and audit follow from them.
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
    const products = this.#products.withExecutor(trx);
    const wanted = quantitiesBySku(items);
    const known = new Set((await products.findBySkus([...wanted.keys()])).map((product) => product.sku));
    const unknownSkus = [...wanted.keys()].filter((sku) => !known.has(sku));
    if (unknownSkus.length > 0) throw new ValidationError('Unknown sku', { unknownSkus });
    const prices = new Map<string, number>();
    for (const [sku, quantity] of inSkuOrder(wanted)) {
      const price = await products.reserve(sku, quantity);
      if (price === undefined) throw await this.#shortOf(sku, trx);
      prices.set(sku, price);
    }
    const lines = items.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: prices.get(sku) ?? 0 }));
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    // Stands in for a payment provider's capture id.
    return { customerEmail, items: lines, total, paymentId: `pay_${randomUUID()}` };
  }

  /** @throws ConflictError for a move TRANSITIONS does not allow; a cancel releases the stock. */
  protected override async beforeUpdate(id: number, changes: OrderChanges, current: Order, trx: Db): Promise<OrderChanges> {
    const next = changes.status;
    if (next !== undefined && !TRANSITIONS[current.status].includes(next)) {
      throw new ConflictError(`Order ${id} is ${current.status}; it cannot become ${next}`);
    }
    if (next === 'canceled') await this.#release(current, trx);
    return changes;
  }

  async #shortOf(sku: string, trx: Db): Promise<ConflictError> {
    const [product] = await this.#products.withExecutor(trx).findBySkus([sku]);
    return new ConflictError(`Not enough stock for ${sku}: ${product?.available ?? 0} available`);
  }

  async #release(order: Order, trx: Db): Promise<void> {
    const products = this.#products.withExecutor(trx);
    for (const [sku, quantity] of inSkuOrder(quantitiesBySku(order.items))) {
      if (!(await products.release(sku, quantity))) {
        throw new Error(`Order ${order.id} holds ${quantity} of ${sku}, but less than that is reserved`);
      }
    }
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

// Every transaction that locks several products takes them in this order: no lock cycles.
function inSkuOrder(quantities: Map<string, number>): [string, number][] {
  return [...quantities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function linesOf(order: Order): OrderLine[] {
  return order.items.map(({ sku, quantity }) => ({ sku, quantity }));
}
