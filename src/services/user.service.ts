import type { NewUserRow, User, UserChanges, UserRepository } from '../repositories/user.repository.js';
import { BaseCrudService, type CrudServiceDeps } from './base-crud.service.js';
import { hashPassword } from './password.js';
import { userCreated, userDeleted, userUpdated } from './user.signals.js';

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
}

export type UpdateUserInput = UserChanges;

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

  constructor(deps: CrudServiceDeps<UserRepository>) {
    super(deps);
  }

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
