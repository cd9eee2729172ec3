import type { DatabaseConnection } from '../db/connection.js';
import { resetDatabase } from '../db/reset.js';
import type { DevMailbox } from './mailer.js';
import type { ReadCache } from './read-cache.js';

export interface DevResetServiceDeps {
  readonly connection: Pick<DatabaseConnection, 'db' | 'dialect'>;
  readonly mailbox: DevMailbox;
  readonly cache?: ReadCache;
}

/** Puts a development instance back where a fresh start leaves it. Never built in production. */
export class DevResetService {
  readonly #deps: DevResetServiceDeps;

  constructor(deps: DevResetServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Empties the tables and seeds the products again (one transaction), then empties the
   * mailbox and the read cache, which would otherwise show rows that no longer exist.
   */
  async reset(): Promise<void> {
    await resetDatabase(this.#deps.connection);
    this.#deps.mailbox.clear();
    this.#deps.cache?.clear();
  }
}
