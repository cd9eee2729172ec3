import type { AuditEntity, AuditEvent, AuditQuery, AuditRepository } from '../repositories/audit.repository.js';

/** The audit trail: what happened to which entity, as the signals told it. */
export class AuditService {
  readonly #audit: AuditRepository;

  constructor(deps: { audit: AuditRepository }) {
    this.#audit = deps.audit;
  }

  record(signal: string, entity: AuditEntity, entityId: number, data: unknown): Promise<void> {
    return this.#audit.insert({ signal, entity, entityId, data });
  }

  list(query: AuditQuery): Promise<AuditEvent[]> {
    return this.#audit.list(query);
  }
}
