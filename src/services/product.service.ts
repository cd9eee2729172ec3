import type { Db } from '../db/connection.js';
import type { Product, ProductRepository } from '../repositories/product.repository.js';
import type { OrderLine } from './order.signals.js';

/** The catalogue and its stock counts. */
export class ProductService {
  readonly #db: Db;
  readonly #products: ProductRepository;

  constructor(deps: { db: Db; products: ProductRepository }) {
    this.#db = deps.db;
    this.#products = deps.products;
  }

  list(): Promise<Product[]> {
    return this.#products.list();
  }

  /** Holds stock for a placed order. */
  reserve(lines: readonly OrderLine[]): Promise<void> {
    return this.#adjust(lines, (quantity) => ({ reserved: quantity }));
  }

  /** Gives back what a canceled order held. */
  release(lines: readonly OrderLine[]): Promise<void> {
    return this.#adjust(lines, (quantity) => ({ reserved: -quantity }));
  }

  async #adjust(lines: readonly OrderLine[], delta: (quantity: number) => { reserved?: number; onHand?: number }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const products = this.#products.withExecutor(trx);
      for (const { sku, quantity } of lines) await products.adjustStock(sku, delta(quantity));
    });
  }
}
