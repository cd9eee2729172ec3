import { toEnvelope, type SignalEnvelope } from './envelope.js';
import type { DeadLetter } from './receiver-invoker.js';

/**
 * Which dead letters an operation applies to. Every field given must match; an empty filter
 * matches every dead letter.
 */
export interface DeadLetterFilter {
  /** Exactly this signal name. */
  readonly signal?: string;
  /** Exactly this receiver name. */
  readonly receiver?: string;
  /** A part of the error message, any case (`timeout` matches `Request Timeout`). */
  readonly error?: string;
  /** Exactly this message id (the envelope's, stable across retries and replays). */
  readonly messageId?: string;
  /** Only the dead letters with these {@link DeadLetterEntry.id}s. */
  readonly ids?: readonly string[];
}

/** One dead letter, as {@link BrokerBackend.listDeadLetters} reads it from the broker. */
export interface DeadLetterEntry {
  /**
   * Names this dead letter for replay and delete. Redis: the entry id in the dead-letter
   * stream; RabbitMQ: a hash of the message body (a copy left by an interrupted operation
   * has the same id, and is replayed or deleted with it).
   */
  readonly id: string;
  readonly signal: string;
  /** The receiver whose last attempt failed: a replay re-delivers to it alone. */
  readonly receiver: string;
  /** The envelope's id; `undefined` for a message that was not a signal envelope. */
  readonly messageId: string | undefined;
  /** Deliveries to the receiver before it was dead-lettered; 0 for an unreadable message. */
  readonly attempts: number;
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
  /** ISO 8601; `undefined` when the broker did not record it (an unreadable message). */
  readonly deadLetteredAt: string | undefined;
  /** The message as sent; `undefined` when it was not a signal envelope, which cannot be replayed. */
  readonly envelope: SignalEnvelope | undefined;
  /** The message as read, when it was not a signal envelope. */
  readonly raw?: string;
}

/** What a replay did: dead letters matched, re-delivered, and those left in place with why. */
export interface DeadLetterReplay {
  readonly replayed: number;
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
}

/** Options of {@link BrokerBackend.listDeadLetters}. */
export interface DeadLetterListOptions extends DeadLetterFilter {
  /** At most this many, newest first. Default 100. */
  readonly limit?: number;
}

/** How one broker lists, replays and deletes its dead letters (`BrokerBackend`'s methods of the same names). */
export interface DeadLetterStore {
  list(options?: DeadLetterListOptions): Promise<DeadLetterEntry[]>;
  replay(filter: DeadLetterFilter): Promise<DeadLetterReplay>;
  delete(filter: DeadLetterFilter): Promise<number>;
}

/** True when `entry` passes every field of `filter`. */
export function matchesDeadLetter(entry: DeadLetterEntry, filter: DeadLetterFilter): boolean {
  if (filter.signal !== undefined && entry.signal !== filter.signal) return false;
  if (filter.receiver !== undefined && entry.receiver !== filter.receiver) return false;
  if (filter.messageId !== undefined && entry.messageId !== filter.messageId) return false;
  if (filter.ids !== undefined && !filter.ids.includes(entry.id)) return false;
  if (filter.error !== undefined && !entry.error.message.toLowerCase().includes(filter.error.toLowerCase())) return false;
  return true;
}

/**
 * The envelope a replay sends: the same id (so a receiver that de-duplicates on
 * `context.messageId` makes the replay safe), payload and request context, as a first
 * attempt, addressed to `receiver` alone.
 */
export function replayEnvelope(envelope: SignalEnvelope, receiver: string): SignalEnvelope {
  return { ...envelope, attempt: 1, receiver };
}

/** Why an entry cannot be replayed, or `undefined` when it can. */
export function unreplayable(entry: DeadLetterEntry): string | undefined {
  return entry.envelope === undefined ? 'it is not a signal envelope: only delete can remove it' : undefined;
}

/**
 * `value` as the record a consumer writes after a receiver's last attempt (`DeadLetter`), its
 * envelope checked; `undefined` when it is not one.
 */
export function asDeadLetterRecord(value: unknown): DeadLetter | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<DeadLetter>;
  if (typeof candidate.receiver !== 'string' || typeof candidate.error !== 'object' || candidate.error === null) return undefined;
  try {
    return { ...(candidate as DeadLetter), envelope: toEnvelope(candidate.envelope) };
  } catch {
    return undefined;
  }
}

/** The entry of a dead letter `record`, named `id`. */
export function entryOfRecord(id: string, record: DeadLetter): DeadLetterEntry {
  return {
    id,
    signal: record.envelope.signal,
    receiver: record.receiver,
    messageId: record.envelope.id,
    attempts: record.attempts,
    error: record.error,
    deadLetteredAt: record.deadLetteredAt,
    envelope: record.envelope,
  };
}
