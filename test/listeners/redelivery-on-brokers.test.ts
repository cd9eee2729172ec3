import { expect } from 'chai';
import type { DatabaseConnection } from '../../src/db/connection.js';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { HandledMessageRepository } from '../../src/repositories/handled-message.repository.js';
import { AuditService } from '../../src/services/audit.service.js';
import { HandledMessageService, idempotencyKey } from '../../src/services/handled-message.service.js';
import { openMemoryDatabase } from '../support/database.js';
import { useBrokerFixture } from '../signals/brokers/support/broker-fixture.js';
import { rabbitBroker, redisBroker } from '../signals/brokers/support/brokers.js';
import { delay, waitFor } from '../signals/brokers/support/waiting.js';

for (const broker of [redisBroker, rabbitBroker]) {
  describe(`An idempotent receiver on ${broker.name}`, function () {
    this.timeout(20_000);
    const fixture = useBrokerFixture(broker);
    let connection: DatabaseConnection | undefined;

    beforeEach(async () => {
      connection = await openMemoryDatabase();
    });
    afterEach(() => connection?.db.destroy());

    it('when it fails after its effect committed, then attempt 2 of the same message skips the effect: one audit row', async () => {
      const db = connection?.db;
      if (db === undefined) throw new Error('No database is open');
      const handled = new HandledMessageService({ db, handled: new HandledMessageRepository(db) });
      const audit = new AuditService({ audit: new AuditRepository(db), handled });
      const attempts: (number | undefined)[] = [];
      const consumer = fixture.backend({ consume: true });
      consumer.connect(fixture.signal, async function recordAudit({ n }, context) {
        attempts.push(context.attempt);
        await audit.record('user.created', 'user', n, {}, { once: idempotencyKey(recordAudit.name, context) });
        if (context.attempt === 1) throw new Error('the worker fails before the ack');
      });
      await consumer.whenConsuming();
      expect(await consumer.send(fixture.signal, { n: 1 })).to.deep.equal([]);
      await waitFor('the retry', () => attempts.length === 2);
      await delay(100);
      await consumer.close();
      expect(attempts).to.deep.equal([1, 2]);
      expect(await audit.list({ entity: 'user', entityId: 1 })).to.have.length(1);
    });
  });
}
