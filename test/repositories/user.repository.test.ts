import { expect } from 'chai';
import { ConflictError } from '../../src/errors.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { describeOnEachDatabase } from '../support/databases.js';

const ada = { email: 'ada@example.com', name: 'Ada', passwordHash: 'scrypt$1$salt$key' };

describeOnEachDatabase('UserRepository', (connection) => {
  const repository = (): UserRepository => new UserRepository(connection().db);

  describe('insert()', () => {
    it('when the email is new, then it returns the user without the hash and stores the hash', async () => {
      const user = await repository().insert(ada);
      expect(user).to.have.all.keys('id', 'email', 'name', 'createdAt', 'updatedAt');
      expect(user).to.include({ email: ada.email, name: ada.name });
      expect(await repository().findPasswordHash(user.id)).to.equal(ada.passwordHash);
    });

    it('when the email is taken, then it throws ConflictError', async () => {
      await repository().insert(ada);
      const error: unknown = await repository().insert({ ...ada, name: 'Other' }).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(ConflictError);
    });
  });

  describe('update()', () => {
    it('when the user exists, then it returns the changed user with a newer updatedAt', async () => {
      const user = await repository().insert(ada);
      const updated = await repository().update(user.id, { name: 'Ada L' });
      expect(updated).to.include({ id: user.id, name: 'Ada L', email: ada.email, createdAt: user.createdAt });
      expect((updated?.updatedAt ?? '') >= user.updatedAt).to.be.true;
    });

    it('when there is no such user, then it returns undefined', async () => {
      expect(await repository().update(999, { name: 'Nobody' })).to.equal(undefined);
    });
  });

  describe('list()', () => {
    it('when asked for a page, then it returns the users in id order and the total', async () => {
      for (const name of ['A', 'B', 'C']) await repository().insert({ ...ada, email: `${name}@example.com`, name });
      const page = await repository().list({ limit: 2, offset: 1 });
      expect(page.total).to.equal(3);
      expect(page.items.map((user) => user.name)).to.deep.equal(['B', 'C']);
    });
  });

  describe('delete()', () => {
    it('when the user exists, then it returns true and the user is gone; a second time, false', async () => {
      const { id } = await repository().insert(ada);
      expect(await repository().delete(id)).to.be.true;
      expect(await repository().findById(id)).to.equal(undefined);
      expect(await repository().delete(id)).to.be.false;
    });
  });
});
