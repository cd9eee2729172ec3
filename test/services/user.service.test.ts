import { expect } from 'chai';
import sinon from 'sinon';
import type { Db } from '../../src/db/connection.js';
import { ConflictError, NotFoundError, WrongPasswordError } from '../../src/errors.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { verifyPassword } from '../../src/services/password.js';
import { UserService } from '../../src/services/user.service.js';
import { userCreated, userDeleted, userPasswordChanged, userUpdated } from '../../src/services/user.signals.js';
import { RecordingBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { openMemoryDatabase } from '../support/database.js';

const input = { email: 'ada@example.com', name: 'Ada', password: 'correct horse' };

describe('UserService', () => {
  let db: Db;
  let repository: UserRepository;
  let users: UserService;
  let recorder: RecordingBackend;

  beforeEach(async () => {
    ({ db } = await openMemoryDatabase());
    repository = new UserRepository(db);
    users = new UserService({ db, repository });
    recorder = new RecordingBackend();
    setBackend(recorder);
  });

  afterEach(async () => {
    sinon.restore();
    resetBackend();
    await db.destroy();
  });

  describe('create()', () => {
    it('when the input is valid, then it stores a verifiable hash and records user.created', async () => {
      const user = await users.create(input);
      expect(await verifyPassword(input.password, (await repository.findPasswordHash(user.id)) ?? '')).to.be.true;
      expect(await verifyPassword('wrong password', (await repository.findPasswordHash(user.id)) ?? '')).to.be.false;
      expect(recorder.payloadsOf(userCreated)).to.deep.equal([{ id: user.id, email: input.email, name: input.name }]);
    });

    it('when the email is taken, then it throws ConflictError and records nothing more', async () => {
      await users.create(input);
      recorder.clear();
      const error: unknown = await users.create(input).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(ConflictError);
      expect(recorder.dispatched).to.deep.equal([]);
    });
  });

  describe('update()', () => {
    it('when some fields change, then user.updated names only those, and an update that changes nothing sends nothing', async () => {
      const { id } = await users.create(input);
      await users.update(id, { email: input.email, name: 'Ada L' });
      await users.update(id, { name: 'Ada L' });
      expect(recorder.payloadsOf(userUpdated)).to.deep.equal([
        { id, changes: ['name'] },
      ]);
    });
  });

  describe('changePassword()', () => {
    const change = { currentPassword: input.password, newPassword: 'battery staple' };

    // #region guide:change-password-service-test
    it('when the current password is right, then the new one is stored and user.password_changed is recorded', async () => {
      const { id } = await users.create(input);
      await users.changePassword(id, change);
      const stored = (await repository.findPasswordHash(id)) ?? '';
      expect(await verifyPassword(change.newPassword, stored)).to.be.true;
      expect(await verifyPassword(input.password, stored)).to.be.false;
      expect(recorder.payloadsOf(userPasswordChanged)).to.deep.equal([{ id, email: input.email }]);
    });

    it('when the current password is wrong, then it throws WrongPasswordError, keeps the password and records nothing', async () => {
      const { id } = await users.create(input);
      const wrong = { ...change, currentPassword: 'not it at all' };
      const error: unknown = await users.changePassword(id, wrong).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(WrongPasswordError);
      expect(await verifyPassword(input.password, (await repository.findPasswordHash(id)) ?? '')).to.be.true;
      expect(recorder.payloadsOf(userPasswordChanged)).to.deep.equal([]);
    });
    // #endregion

    it('when two changes are checked against the same password at once, then one is stored and the other is refused', async () => {
      const { id } = await users.create(input);
      const attempts = ['first new password', 'second new password'].map((newPassword) =>
        users.changePassword(id, { currentPassword: input.password, newPassword }),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.map((result) => result.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).to.be.instanceOf(WrongPasswordError);
      const winner = results.findIndex((result) => result.status === 'fulfilled');
      const stored = (await repository.findPasswordHash(id)) ?? '';
      expect(await verifyPassword(winner === 0 ? 'first new password' : 'second new password', stored)).to.be.true;
      expect(recorder.payloadsOf(userPasswordChanged)).to.have.length(1);
    });

    it('when there is no such user, then it throws NotFoundError', async () => {
      const error: unknown = await users.changePassword(999, change).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(NotFoundError);
    });

    it('when the user is deleted while the new password is being hashed, then it throws NotFoundError and records nothing', async () => {
      const { id } = await users.create(input);
      const checked = await repository.findPasswordHash(id);
      // The check reads the hash; the user is gone by the time the transaction opens.
      sinon.stub(repository, 'findPasswordHash').callsFake(async () => {
        await db.deleteFrom('users').where('id', '=', id).execute();
        return checked;
      });
      recorder.clear();
      const error: unknown = await users.changePassword(id, change).catch((thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(NotFoundError).with.property('message', `No user with id ${id}`);
      expect(recorder.dispatched).to.deep.equal([]);
    });
  });

  describe('delete()', () => {
    it('when the user exists, then it records user.deleted', async () => {
      const { id } = await users.create(input);
      await users.delete(id);
      expect(recorder.payloadsOf(userDeleted)).to.deep.equal([{ id }]);
    });
  });
});
