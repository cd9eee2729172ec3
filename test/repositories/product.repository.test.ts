import { expect } from 'chai';
import { ProductRepository } from '../../src/repositories/product.repository.js';
import { describeOnEachDatabase } from '../support/databases.js';

describeOnEachDatabase('ProductRepository', (connection) => {
  const repository = (): ProductRepository => new ProductRepository(connection().db);

  describe('list()', () => {
    it('when migrated, then it has the seeded products with what is available', async () => {
      const products = await repository().list();
      expect(products.map((product) => product.sku)).to.deep.equal(['GADGET-1', 'WIDGET-1', 'WIDGET-2']);
      expect(products[0]).to.deep.equal({ sku: 'GADGET-1', name: 'Gadget', price: 9999, onHand: 5, reserved: 0, available: 5 });
    });
  });

  describe('findBySkus()', () => {
    it('when some skus are unknown, then it returns only the known ones', async () => {
      const products = await repository().findBySkus(['WIDGET-2', 'NOPE']);
      expect(products.map((product) => product.sku)).to.deep.equal(['WIDGET-2']);
    });
  });

  describe('adjustStock()', () => {
    it('when given deltas, then it adds them to the counts', async () => {
      await repository().adjustStock('WIDGET-2', { reserved: 3 });
      await repository().adjustStock('WIDGET-2', { reserved: -1, onHand: -1 });
      const [widget] = await repository().findBySkus(['WIDGET-2']);
      expect(widget).to.include({ onHand: 49, reserved: 2, available: 47 });
    });
  });
});
