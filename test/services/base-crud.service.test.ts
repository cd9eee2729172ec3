import { expect } from 'chai';
import sinon from 'sinon';
import type { Db } from '../../src/db/connection.js';
import { NotFoundError } from '../../src/errors.js';
import { UserRepository, type NewUserRow, type User, type UserChanges } from '../../src/repositories/user.repository.js';
import { BaseCrudService } from '../../src/services/base-crud.service.js';
import { ReadCache } from '../../src/services/read-cache.js';
import { openMemoryDatabase } from '../support/database.js';

/** A service that records when its hooks run, and can be told to fail inside the transaction. */
class ProbeService extends BaseCrudService<User, NewUserRow, UserChanges, NewUserRow, UserChanges> {
  protected readonly entityName = 'user';
  readonly calls: string[] = [];
  failBeforeCreate = false;
  /** When set, prepareCreate waits for it: the test reads the database meanwhile. */
  preparing: Promise<void> | undefined;

  protected override async prepareCreate(input: NewUserRow): Promise<NewUserRow> {
    this.calls.push('prepareCreate');
    await this.preparing;
    return input;
  }

  protected override beforeCreate(input: NewUserRow): NewUserRow {
    this.calls.push('beforeCreate');
    if (this.failBeforeCreate) throw new Error('rejected by the hook');
    return input;
  }

  protected override beforeUpdate(_id: number, input: UserChanges): UserChanges {
    this.calls.push('beforeUpdate');
    return input;
  }

  protected override afterCreate(entity: User): void {
    this.calls.push(`afterCreate:${entity.id}`);
  }

  protected override afterUpdate(entity: User, previous: User): void {
    this.calls.push(`afterUpdate:${previous.name}->${entity.name}`);
  }

  protected override afterDelete(id: number): void {
    this.calls.push(`afterDelete:${id}`);
  }
}

const row = { email: 'ada@example.com', name: 'Ada', passwordHash: 'x' };

describe('BaseCrudService', () => {
  let db: Db;
  let repository: UserRepository;
  let service: ProbeService;

  beforeEach(async () => {
    ({ db } = await openMemoryDatabase());
    repository = new UserRepository(db);
    service = new ProbeService({ db, repository, cache: new ReadCache() });
  });

  afterEach(async () => {
    sinon.restore();
    await db.destroy();
  });

  const count = async (): Promise<number> => (await repository.list({ limit: 10, offset: 0 })).total;

  describe('create()', () => {
    it('when the write succeeds, then afterCreate runs once, after the before-hook, with the stored entity', async () => {
      const user = await service.create(row);
      expect(service.calls).to.deep.equal(['prepareCreate', 'beforeCreate', `afterCreate:${user.id}`]);
    });

    it('when prepareCreate is slow, then the database answers other queries meanwhile', async () => {
      let finishPreparing = (): void => undefined;
      service.preparing = new Promise((resolve) => (finishPreparing = resolve));
      const creating = service.create(row);
      expect(await count()).to.equal(0);
      finishPreparing();
      await creating;
      expect(await count()).to.equal(1);
    });

    it('when the before-hook throws, then nothing is written and no after-hook runs', async () => {
      service.failBeforeCreate = true;
      const error: unknown = await service.create(row).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error).with.property('message', 'rejected by the hook');
      expect(await count()).to.equal(0);
      expect(service.calls).to.deep.equal(['prepareCreate', 'beforeCreate']);
    });

    it('when the write fails after a first statement, then the transaction rolls back and no after-hook runs', async () => {
      sinon.stub(UserRepository.prototype, 'withExecutor').callsFake(function (this: UserRepository, trx: Db) {
        const bound = new UserRepository(trx);
        sinon.stub(bound, 'insert').callsFake(async (data) => {
          await new UserRepository(trx).insert(data);
          throw new Error('second statement failed');
        });
        return bound;
      });
      const error: unknown = await service.create(row).catch((thrown: unknown) => thrown);
      sinon.restore();
      expect(error).to.be.instanceOf(Error).with.property('message', 'second statement failed');
      expect(await count()).to.equal(0);
      expect(service.calls).to.deep.equal(['prepareCreate', 'beforeCreate']);
    });
  });

  describe('update()', () => {
    it('when the entity exists, then afterUpdate gets it and the previous version', async () => {
      const { id } = await service.create(row);
      await service.update(id, { name: 'Ada L' });
      expect(service.calls.slice(3)).to.deep.equal(['beforeUpdate', 'afterUpdate:Ada->Ada L']);
    });

    it('when there is no entity, then it throws NotFoundError before any hook', async () => {
      const error: unknown = await service.update(9, { name: 'x' }).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(NotFoundError);
      expect(service.calls).to.deep.equal([]);
    });
  });

  describe('delete()', () => {
    it('when there is no entity, then it throws NotFoundError and afterDelete does not run', async () => {
      const error: unknown = await service.delete(9).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(NotFoundError);
      expect(service.calls).to.deep.equal([]);
    });
  });

  describe('findById()', () => {
    it('when the row changed behind a cached read, then it reads the database and sees the change', async () => {
      const { id } = await service.create(row);
      await service.findOrFail(id);
      await db.updateTable('users').set({ name: 'Changed in SQL' }).where('id', '=', id).execute();
      expect(await service.findById(id)).to.include({ id, name: 'Changed in SQL' });
      expect(await service.findById(id + 1)).to.equal(undefined);
    });
  });

  describe('findOrFail()', () => {
    it('when read twice, then the second read comes from the cache', async () => {
      const { id } = await service.create(row);
      const findById = sinon.spy(repository, 'findById');
      await service.findOrFail(id);
      await service.findOrFail(id);
      expect(findById.callCount).to.equal(1);
    });
  });
});
