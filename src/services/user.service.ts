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

const TRACKED_FIELDS = ['email', 'name'] as const;

/** Users: the password is hashed before the write and never leaves the repository. */
export class UserService extends BaseCrudService<User, CreateUserInput, UpdateUserInput, NewUserRow, UserChanges> {
  protected readonly entityName = 'user';

  constructor(deps: CrudServiceDeps<UserRepository>) {
    super(deps);
  }

  protected override async beforeCreate({ password, ...user }: CreateUserInput): Promise<NewUserRow> {
    return { ...user, passwordHash: await hashPassword(password) };
  }

  protected override beforeUpdate(_id: number, input: UpdateUserInput): UserChanges {
    return input;
  }

  protected override async afterCreate({ id, email, name }: User): Promise<void> {
    await userCreated.send({ id, email, name });
  }

  protected override async afterUpdate(user: User, previous: User): Promise<void> {
    const changes = TRACKED_FIELDS.filter((field) => user[field] !== previous[field]);
    await userUpdated.send({ id: user.id, changes });
  }

  protected override async afterDelete(id: number): Promise<void> {
    await userDeleted.send({ id });
  }
}
