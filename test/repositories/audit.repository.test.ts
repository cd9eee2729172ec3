import { expect } from 'chai';
import { AuditRepository } from '../../src/repositories/audit.repository.js';
import { describeOnEachDatabase } from '../support/databases.js';

describeOnEachDatabase('AuditRepository', (connection) => {
  const repository = (): AuditRepository => new AuditRepository(connection().db);

  describe('list()', () => {
    it('when filtered by entity and id, then it returns only their events, oldest first, with data parsed', async () => {
      await repository().insert({ signal: 'user.created', entity: 'user', entityId: 1, data: { name: 'Ada' } });
      await repository().insert({ signal: 'order.placed', entity: 'order', entityId: 1, data: { total: 5 } });
      await repository().insert({ signal: 'user.deleted', entity: 'user', entityId: 1, data: {} });
      await repository().insert({ signal: 'user.created', entity: 'user', entityId: 2, data: {} });
      const events = await repository().list({ entity: 'user', entityId: 1 });
      expect(events.map(({ signal, data }) => ({ signal, data }))).to.deep.equal([
        { signal: 'user.created', data: { name: 'Ada' } },
        { signal: 'user.deleted', data: {} },
      ]);
    });

    it('when not filtered, then it returns every event', async () => {
      await repository().insert({ signal: 'user.created', entity: 'user', entityId: 1, data: null });
      await repository().insert({ signal: 'order.placed', entity: 'order', entityId: 1, data: null });
      expect(await repository().list({})).to.have.length(2);
    });
  });
});
