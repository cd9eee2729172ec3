import type { AuditEntity, AuditEvent, AuditQuery, AuditRepository } from '../repositories/audit.repository.js';
import type { HandledMessageService, OnceOption } from './handled-message.service.js';

/** The audit trail: what happened to which entity, as the signals told it. */
export class AuditService {
  readonly #audit: AuditRepository;
  readonly #handled: Pick<HandledMessageService, 'once'>;

  constructor(deps: { audit: AuditRepository; handled: Pick<HandledMessageService, 'once'> }) {
    this.#audit = deps.audit;
    this.#handled = deps.handled;
  }

  /** Writes one audit row; with `once`, at most one per message, however often it is delivered. */
  async record(signal: string, entity: AuditEntity, entityId: number, data: unknown, { once }: OnceOption = {}): Promise<void> {
    const event = { signal, entity, entityId, data };
    if (once === undefined) return this.#audit.insert(event);
    await this.#handled.once(once, (trx) => this.#audit.withExecutor(trx).insert(event));
  }

  list(query: AuditQuery): Promise<AuditEvent[]> {
    return this.#audit.list(query);
  }
}
