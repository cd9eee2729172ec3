import { randomUUID } from 'node:crypto';
import { findUnportableValue } from '../payload-check.js';
import { UnportablePayloadError } from './errors.js';

/** The request context that travels with a message, so that logs can be joined across processes. */
export interface EnvelopeContext {
  readonly requestId?: string;
}

/** What a broker backend puts on the wire, as JSON. */
export interface SignalEnvelope {
  /** Stable across retries: receivers use it to make side effects idempotent. */
  readonly id: string;
  readonly signal: string;
  readonly payload: unknown;
  /** ISO 8601 time of the send. */
  readonly occurredAt: string;
  /** 1 when published; a backend that re-publishes for a retry increments it. */
  readonly attempt: number;
  readonly context: EnvelopeContext;
}

/**
 * Builds the envelope for one send and serializes it.
 *
 * @throws UnportablePayloadError when the payload would not survive JSON (a `Map`, a class
 *   instance without `toJSON`, a function, `NaN`...): the caller must publish nothing.
 */
export function encodeEnvelope(signalName: string, payload: unknown, context: EnvelopeContext): SignalEnvelope & { json: string } {
  const finding = findUnportableValue(payload);
  if (finding !== undefined) throw new UnportablePayloadError(signalName, finding);
  const envelope: SignalEnvelope = {
    id: randomUUID(),
    signal: signalName,
    payload,
    occurredAt: new Date().toISOString(),
    attempt: 1,
    context: context.requestId === undefined ? {} : { requestId: context.requestId },
  };
  return { ...envelope, json: JSON.stringify(envelope) };
}

/** The same envelope as the next delivery attempt, serialized. */
export function encodeRetry(envelope: SignalEnvelope, attempt: number): string {
  return JSON.stringify({ ...envelope, attempt });
}

/**
 * Parses an envelope read from the broker.
 *
 * @throws Error when `text` is not a JSON envelope; the caller dead-letters the message, since
 *   retrying cannot repair it.
 */
export function decodeEnvelope(text: string): SignalEnvelope {
  const value: unknown = JSON.parse(text);
  if (!isEnvelope(value)) throw new Error('The message is not a signal envelope');
  return value;
}

function isEnvelope(value: unknown): value is SignalEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.signal === 'string' &&
    typeof candidate.attempt === 'number' &&
    typeof candidate.context === 'object' &&
    candidate.context !== null
  );
}
