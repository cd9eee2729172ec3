import type { Db } from '../db/connection.js';
import { inTransaction } from '../db/transaction.js';
import { NotFoundError, WrongPasswordError } from '../errors.js';
import type { NewUserRow, User, UserChanges, UserRepository } from '../repositories/user.repository.js';
import { BaseCrudService, type CrudServiceDeps } from './base-crud.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { userCreated, userDeleted, userPasswordChanged, userUpdated } from './user.signals.js';

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
}

export type UpdateUserInput = UserChanges;

// #region guide:change-password-input
export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}
// #endregion

/** A new user once its password is hashed. */
export type PreparedUser = Omit<CreateUserInput, 'password'> & { passwordHash: string };

const TRACKED_FIELDS = ['email', 'name'] as const;

/** Users: the password is hashed before the write and never leaves the repository. */
export class UserService extends BaseCrudService<
  User,
  CreateUserInput,
  UpdateUserInput,
  NewUserRow,
  UserChanges,
  PreparedUser
> {
  protected readonly entityName = 'user';
  // #region guide:change-password
  /** The base class knows the CRUD part of the repository; a password change needs the rest. */
  readonly #users: UserRepository;

  constructor(deps: CrudServiceDeps<UserRepository>) {
    super(deps);
    this.#users = deps.repository;
  }

  /**
   * Replaces the password of user `id` when `currentPassword` is theirs, and fires
   * user.password_changed next to the write. Both scrypt runs (the check, the new hash) happen
   * before the transaction opens; the write applies only if the hash checked is still the
   * stored one, so a change committed in between is not overwritten.
   *
   * @throws NotFoundError when there is no user `id`; WrongPasswordError when `currentPassword`
   *   is not theirs, or no longer is.
   */
  async changePassword(id: number, { currentPassword, newPassword }: ChangePasswordInput): Promise<void> {
    const checked = await this.#users.findPasswordHash(id);
    if (checked === undefined) throw new NotFoundError(`No user with id ${id}`);
    if (!(await verifyPassword(currentPassword, checked))) throw new WrongPasswordError();
    const passwordHash = await hashPassword(newPassword);
    await inTransaction(this.db, async (trx) => {
      const user = await this.#users.withExecutor(trx).replacePasswordHash(id, checked, passwordHash);
      if (user === undefined) throw await this.#goneOrChanged(id, trx);
      await userPasswordChanged.send({ id, email: user.email });
    });
  }

  async #goneOrChanged(id: number, trx: Db): Promise<Error> {
    const user = await this.#users.withExecutor(trx).findById(id);
    return user === undefined ? new NotFoundError(`No user with id ${id}`) : new WrongPasswordError();
  }
  // #endregion

  /** scrypt costs tens of milliseconds: done before the transaction, which would wait on it. */
  protected override async prepareCreate({ password, ...user }: CreateUserInput): Promise<PreparedUser> {
    return { ...user, passwordHash: await hashPassword(password) };
  }

  protected override beforeCreate(user: PreparedUser): NewUserRow {
    return user;
  }

  /** Only the fields that differ from the stored row, so that an update that changes nothing writes nothing. */
  protected override beforeUpdate(_id: number, input: UpdateUserInput, current: User): UserChanges {
    return Object.fromEntries(Object.entries(input).filter(([field, value]) => current[field as keyof User] !== value));
  }

  protected override async afterCreate({ id, email, name }: User): Promise<void> {
    await userCreated.send({ id, email, name });
  }

  protected override async afterUpdate(user: User, previous: User): Promise<void> {
    const changes = TRACKED_FIELDS.filter((field) => user[field] !== previous[field]);
    if (changes.length === 0) return;
    await userUpdated.send({ id: user.id, changes });
  }

  protected override async afterDelete(id: number): Promise<void> {
    await userDeleted.send({ id });
  }
}
