/** One message as the outbox keeps it: its id and signal, and the envelope to publish, as JSON. */
export interface OutboxMessage {
  /** The message id, the same from the row to the receiver (`context.messageId`). */
  readonly id: string;
  readonly signal: string;
  /** The serialized envelope, published as it is. */
  readonly json: string;
}

/**
 * Where a broker backend keeps the messages of committed transactions until the broker has
 * accepted them: a table in the app's own database (a transactional outbox). Implement it for
 * your data layer; {@link KyselyOutboxStore} is the one for Kysely on PostgreSQL and SQLite.
 */
export interface OutboxStore {
  /**
   * Writes `message` through `executor`, the app's open transaction (`SignalTransaction.executor`),
   * so that it commits or rolls back with the write it announces.
   *
   * @throws whatever the database throws; the transaction must then not commit.
   */
  write(executor: unknown, message: OutboxMessage): Promise<void>;
  /**
   * Takes up to `limit` of the oldest messages that no other relay holds, hands them to
   * `publish` in the order they were written, and removes them once `publish` resolved. When
   * `publish` rejects, the messages stay for the next try.
   *
   * @returns how many messages were published (0: the outbox is empty).
   */
  relay(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number>;
  /** How long the oldest message has waited, in ms; `undefined` when the outbox is empty. */
  oldestAgeMs(): Promise<number | undefined>;
  /** How many messages wait to be published (claimed by a relay or not); for metrics. */
  pendingCount(): Promise<number>;
}
