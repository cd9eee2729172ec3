import { ConflictError } from '../errors.js';
import { isUniqueViolation, type Db } from '../db/connection.js';
import { now, type CrudRepository, type Page, type PageOf } from './crud.repository.js';

/** A user as the API shows it: never the password hash. */
export interface User {
  id: number;
  email: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewUserRow {
  email: string;
  name: string;
  passwordHash: string;
}

export interface UserChanges {
  email?: string;
  name?: string;
}

const PUBLIC_COLUMNS = ['id', 'email', 'name', 'createdAt', 'updatedAt'] as const;

export class UserRepository implements CrudRepository<User, NewUserRow, UserChanges> {
  constructor(private readonly db: Db) {}

  withExecutor(executor: Db): this {
    return new UserRepository(executor) as this;
  }

  findById(id: number): Promise<User | undefined> {
    return this.db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  findByIdForUpdate(id: number): Promise<User | undefined> {
    return this.db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async list({ limit, offset }: Page): Promise<PageOf<User>> {
    const items = await this.db.selectFrom('users').select(PUBLIC_COLUMNS).orderBy('id').limit(limit).offset(offset).execute();
    const { count } = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    return { items, total: Number(count) };
  }

  /** @throws ConflictError when the email is taken (compared case-insensitively, by the database). */
  async insert(row: NewUserRow): Promise<User> {
    const timestamp = now();
    const values = { ...row, createdAt: timestamp, updatedAt: timestamp };
    return this.#uniqueEmail(() =>
      this.db.insertInto('users').values(values).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow(),
    );
  }

  /** @throws ConflictError when the new email is taken. */
  async update(id: number, changes: UserChanges): Promise<User | undefined> {
    const values = { ...changes, updatedAt: now() };
    return this.#uniqueEmail(() =>
      this.db.updateTable('users').set(values).where('id', '=', id).returning(PUBLIC_COLUMNS).executeTakeFirst(),
    );
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** For tests and password checks; the one read that returns the hash. */
  async findPasswordHash(id: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('users').select('passwordHash').where('id', '=', id).executeTakeFirst();
    return row?.passwordHash;
  }

  // #region guide:replace-password-hash
  /**
   * Sets a new password hash if the stored one is still `expected` (the one the current password
   * was checked against), so that of two changes checked against the same password one wins.
   *
   * @returns the user, or `undefined` when there is no row with `id` and that hash.
   */
  replacePasswordHash(id: number, expected: string, passwordHash: string): Promise<User | undefined> {
    return this.db
      .updateTable('users')
      .set({ passwordHash, updatedAt: now() })
      .where('id', '=', id)
      .where('passwordHash', '=', expected)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirst();
  }
  // #endregion

  async #uniqueEmail<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A user with this email already exists', { cause: error });
      throw error;
    }
  }
}
