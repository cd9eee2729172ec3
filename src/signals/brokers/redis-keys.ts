/** The Redis names of one backend: everything starts with its prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The stream a signal is written to; each receiver reads it through its own group. */
  stream(signalName: string): string {
    return `${this.prefix}stream:${signalName}`;
  }

  /** Hash of entry id -> deliveries so far, per receiver: the attempt count survives crashes. */
  attempts(signalName: string, receiverName: string): string {
    return `${this.prefix}attempts:${signalName}:${receiverName}`;
  }

  /** The one stream of dead letters of this backend. */
  deadLetters(): string {
    return `${this.prefix}dead-letters`;
  }

  /** A connection name for CLIENT LIST: no spaces allowed there. */
  connectionName(role: string): string {
    return `${this.prefix}${role}`.replace(/[^\w.:@-]/g, '_');
  }
}
