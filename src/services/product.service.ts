import type { Db } from '../db/connection.js';
import type { Product, ProductRepository } from '../repositories/product.repository.js';
import type { HandledMessageService, OnceOption } from './handled-message.service.js';
import type { OrderLine } from './order.signals.js';

type StockDelta = (quantity: number) => { reserved?: number; onHand?: number };

/** The catalogue and its stock counts. */
export class ProductService {
  readonly #db: Db;
  readonly #products: ProductRepository;
  readonly #handled: Pick<HandledMessageService, 'once'>;

  constructor(deps: { db: Db; products: ProductRepository; handled: Pick<HandledMessageService, 'once'> }) {
    this.#db = deps.db;
    this.#products = deps.products;
    this.#handled = deps.handled;
  }

  list(): Promise<Product[]> {
    return this.#products.list();
  }

  /** Holds stock for a placed order; with `once`, once per message, however often it is delivered. */
  reserve(lines: readonly OrderLine[], options: OnceOption = {}): Promise<void> {
    return this.#adjust(lines, (quantity) => ({ reserved: quantity }), options);
  }

  /** Gives back what a canceled order held; with `once`, once per message. */
  release(lines: readonly OrderLine[], options: OnceOption = {}): Promise<void> {
    return this.#adjust(lines, (quantity) => ({ reserved: -quantity }), options);
  }

  async #adjust(lines: readonly OrderLine[], delta: StockDelta, { once }: OnceOption): Promise<void> {
    const adjust = async (trx: Db): Promise<void> => {
      const products = this.#products.withExecutor(trx);
      for (const { sku, quantity } of lines) await products.adjustStock(sku, delta(quantity));
    };
    if (once === undefined) await this.#db.transaction().execute(adjust);
    else await this.#handled.once(once, adjust);
  }
}
