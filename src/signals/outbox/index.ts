export type { OutboxMessage, OutboxStore } from './outbox-store.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { KyselyOutboxStore, createOutboxTable, type KyselyOutboxStoreOptions, type OutboxDialect } from './kysely-outbox-store.js';
