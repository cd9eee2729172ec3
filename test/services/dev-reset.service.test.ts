import { expect } from 'chai';
import type { DatabaseConnection } from '../../src/db/connection.js';
import { DevResetService } from '../../src/services/dev-reset.service.js';
import { DevMailbox } from '../../src/services/mailer.js';
import { ReadCache } from '../../src/services/read-cache.js';
import { openMemoryDatabase } from '../support/database.js';

describe('DevResetService', () => {
  let connection: DatabaseConnection;

  beforeEach(async () => {
    connection = await openMemoryDatabase();
  });

  afterEach(async () => {
    await connection.db.destroy();
  });

  const mail = { from: 'Shop <shop@example.com>', to: 'ada@example.com', subject: 'Welcome, Ada', text: '', sentAt: '' };

  it('when there is no read cache (a broker backend), then reset() empties the data and the mailbox all the same', async () => {
    const mailbox = new DevMailbox();
    mailbox.record(mail);
    await connection.db.insertInto('users').values({ email: 'ada@example.com', name: 'Ada', passwordHash: 'x', createdAt: '', updatedAt: '' }).execute();
    await new DevResetService({ connection, mailbox }).reset();
    expect(await connection.db.selectFrom('users').selectAll().execute()).to.deep.equal([]);
    expect(mailbox.list()).to.deep.equal([]);
  });

  it('when there is a read cache, then reset() empties it too', async () => {
    const cache = new ReadCache();
    cache.set(ReadCache.key('user', 1), { id: 1 });
    await new DevResetService({ connection, mailbox: new DevMailbox(), cache }).reset();
    expect(cache.size).to.equal(0);
  });
});
