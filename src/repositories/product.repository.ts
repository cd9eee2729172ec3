import type { Db } from '../db/connection.js';

export interface Product {
  sku: string;
  name: string;
  /** Integer cents. */
  price: number;
  onHand: number;
  reserved: number;
  /** `onHand - reserved`: what can still be ordered. */
  available: number;
}

const COLUMNS = ['sku', 'name', 'price', 'onHand', 'reserved'] as const;
type ProductRow = Omit<Product, 'available'>;

export class ProductRepository {
  constructor(private readonly db: Db) {}

  withExecutor(executor: Db): ProductRepository {
    return new ProductRepository(executor);
  }

  async list(): Promise<Product[]> {
    const rows = await this.db.selectFrom('products').select(COLUMNS).orderBy('sku').execute();
    return rows.map(withAvailable);
  }

  async findBySkus(skus: readonly string[]): Promise<Product[]> {
    if (skus.length === 0) return [];
    const rows = await this.db.selectFrom('products').select(COLUMNS).where('sku', 'in', skus).execute();
    return rows.map(withAvailable);
  }

  /**
   * Reserves `quantity` of `sku` if that much is available, in one conditional statement that
   * locks the row: no read-then-write, so concurrent orders cannot both take the last one.
   *
   * @returns the unit price when reserved; `undefined` when the stock is short or the sku unknown.
   */
  async reserve(sku: string, quantity: number): Promise<number | undefined> {
    const row = await this.db
      .updateTable('products')
      .set((eb) => ({ reserved: eb('reserved', '+', quantity) }))
      .where('sku', '=', sku)
      .where((eb) => eb(eb('onHand', '-', eb.ref('reserved')), '>=', quantity))
      .returning('price')
      .executeTakeFirst();
    return row?.price;
  }

  /**
   * Gives back `quantity` of `sku`'s reservation.
   *
   * @returns false when less than `quantity` is reserved (nothing is changed then).
   */
  async release(sku: string, quantity: number): Promise<boolean> {
    const result = await this.db
      .updateTable('products')
      .set((eb) => ({ reserved: eb('reserved', '-', quantity) }))
      .where('sku', '=', sku)
      .where('reserved', '>=', quantity)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Adds `delta` (negative to take away) to the stock counts of `sku`, in one statement. */
  async adjustStock(sku: string, delta: { reserved?: number; onHand?: number }): Promise<void> {
    await this.db
      .updateTable('products')
      .set((eb) => ({
        reserved: eb('reserved', '+', delta.reserved ?? 0),
        onHand: eb('onHand', '+', delta.onHand ?? 0),
      }))
      .where('sku', '=', sku)
      .execute();
  }
}

function withAvailable(row: ProductRow): Product {
  return { ...row, available: row.onHand - row.reserved };
}
