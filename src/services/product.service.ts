import type { Product, ProductRepository } from '../repositories/product.repository.js';

/**
 * The catalogue and its stock counts. Stock is reserved and released by `OrderService`, inside
 * the transactions that place and cancel orders.
 */
export class ProductService {
  readonly #products: ProductRepository;

  constructor(deps: { products: ProductRepository }) {
    this.#products = deps.products;
  }

  list(): Promise<Product[]> {
    return this.#products.list();
  }
}
