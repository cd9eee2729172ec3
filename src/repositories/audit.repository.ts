import type { Db } from '../db/connection.js';
import { now } from './crud.repository.js';

export type AuditEntity = 'user' | 'order';

export interface AuditEvent {
  signal: string;
  entity: AuditEntity;
  entityId: number;
  data: unknown;
  createdAt: string;
}

export interface AuditQuery {
  entity?: AuditEntity;
  entityId?: number;
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  withExecutor(executor: Db): AuditRepository {
    return new AuditRepository(executor);
  }

  async insert(event: Omit<AuditEvent, 'createdAt'>): Promise<void> {
    const row = { ...event, data: JSON.stringify(event.data ?? null), createdAt: now() };
    await this.db.insertInto('auditEvents').values(row).execute();
  }

  /** Oldest first. */
  async list({ entity, entityId }: AuditQuery): Promise<AuditEvent[]> {
    let query = this.db.selectFrom('auditEvents').select(['signal', 'entity', 'entityId', 'data', 'createdAt']);
    if (entity !== undefined) query = query.where('entity', '=', entity);
    if (entityId !== undefined) query = query.where('entityId', '=', entityId);
    const rows = await query.orderBy('id').execute();
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
  }
}
