import { expect } from 'chai';
import SqliteDatabase from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase, type DatabaseConnection } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { UserService } from '../../src/services/user.service.js';
import { userCreated } from '../../src/services/user.signals.js';
import { InProcessBackend, resetBackend, setBackend } from '../../src/signals/index.js';

describe('UserService and the transaction', () => {
  let dir: string;
  let connection: DatabaseConnection;
  let observer: SqliteDatabase.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'express-signals-commit-'));
    const filename = join(dir, 'app.db');
    connection = connectDatabase({ kind: 'sqlite', filename });
    await migrateToLatest(connection);
    // A second connection sees only what has been committed.
    observer = new SqliteDatabase(filename, { readonly: true });
    setBackend(new InProcessBackend());
  });

  afterEach(async () => {
    resetBackend();
    observer.close();
    await connection.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when user.created reaches a receiver, then the row is already committed', async () => {
    const seenByOthers: unknown[] = [];
    userCreated.connect(function lookFromAnotherConnection({ id }) {
      seenByOthers.push(observer.prepare('select email from users where id = ?').get(id));
    });
    const users = new UserService({ db: connection.db, repository: new UserRepository(connection.db) });
    await users.create({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' });
    expect(seenByOthers).to.deep.equal([{ email: 'ada@example.com' }]);
  });
});
