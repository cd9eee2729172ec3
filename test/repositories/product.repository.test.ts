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

  describe('reserve() and release()', () => {
    it('when enough is available, then reserve() takes it and answers the unit price', async () => {
      expect(await repository().reserve('GADGET-1', 5)).to.equal(9999);
      const [gadget] = await repository().findBySkus(['GADGET-1']);
      expect(gadget).to.include({ reserved: 5, available: 0 });
    });

    it('when less is available than asked, then reserve() takes nothing and answers undefined', async () => {
      await repository().reserve('GADGET-1', 4);
      expect(await repository().reserve('GADGET-1', 2)).to.equal(undefined);
      expect(await repository().reserve('NOPE', 1)).to.equal(undefined);
      const [gadget] = await repository().findBySkus(['GADGET-1']);
      expect(gadget).to.include({ reserved: 4 });
    });

    it('when less is reserved than released, then release() changes nothing and answers false', async () => {
      await repository().reserve('WIDGET-1', 2);
      expect(await repository().release('WIDGET-1', 3)).to.equal(false);
      expect(await repository().release('WIDGET-1', 2)).to.equal(true);
      const [widget] = await repository().findBySkus(['WIDGET-1']);
      expect(widget).to.include({ reserved: 0 });
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
