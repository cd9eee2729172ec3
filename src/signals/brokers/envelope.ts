import { randomUUID } from 'node:crypto';
import SuperJSON, { type SuperJSONResult } from 'superjson';
import { describePayload } from '../payload-check.js';
import type { TraceCarrier } from '../tracing.js';
import { UnportablePayloadError } from './errors.js';

/**
 * The context that travels with a message, so that logs and traces can be joined across
 * processes: `{ requestId?, trace?: { traceparent, tracestate? } }`.
 */
export interface EnvelopeContext {
  readonly requestId?: string;
  /**
   * The trace context of the send (its `send <signal>` span) as the global OpenTelemetry
   * propagator writes it: W3C `traceparent` and `tracestate` by default. Absent when no SDK is
   * registered. Retries and dead letters keep it, so their `process` spans join the same trace.
   */
  readonly trace?: TraceCarrier;
}

/** What a broker backend puts on the wire, as JSON. */
export interface SignalEnvelope {
  /** Stable across retries: receivers use it to make side effects idempotent. */
  readonly id: string;
  readonly signal: string;
  /**
   * The payload as JSON. When it held values JSON would change (a `Date`, a `Map`, a
   * `bigint`...), this is superjson's `json` part and {@link payloadMeta} says how to restore
   * them; a consumer in another language can still read it (a `Date` is an ISO string).
   * Receivers get it through {@link payloadOf}.
   */
  readonly payload: unknown;
  /** superjson's `meta`, present only when the payload needs it. */
  readonly payloadMeta?: SuperJSONResult['meta'];
  /** ISO 8601 time of the send. */
  readonly occurredAt: string;
  /** 1 when published; a backend that re-publishes for a retry increments it. */
  readonly attempt: number;
  readonly context: EnvelopeContext;
  /**
   * Set on a replayed dead letter: only the receiver of this name runs it; the consumers of
   * the signal's other receivers acknowledge it unrun (on a broker where they share a stream).
   */
  readonly receiver?: string;
}

/**
 * Builds the envelope for one send and serializes it. A payload that is plain JSON is sent as
 * it is; one holding values JSON would change goes through superjson, so that the receiver
 * gets what was sent (a `Date` stays a `Date`).
 *
 * @throws UnportablePayloadError when no serializer can give the payload back as it was (a
 *   function, a class instance, a `Buffer`, a cycle: see `describePayload`): the caller must
 *   publish nothing.
 */
export function encodeEnvelope(signalName: string, payload: unknown, context: EnvelopeContext): SignalEnvelope & { json: string } {
  const shape = describePayload(payload);
  if (shape.kind === 'unportable') throw new UnportablePayloadError(signalName, shape.finding);
  // Object literals without spreads: this runs on every send (bench/brokers.bench.ts).
  const requestContext = wireContext(context);
  if (shape.kind === 'json') {
    const envelope: SignalEnvelope = { id: randomUUID(), signal: signalName, payload, occurredAt: new Date().toISOString(), attempt: 1, context: requestContext };
    return withJson(envelope);
  }
  const typed = SuperJSON.serialize(payload);
  const envelope: SignalEnvelope =
    typed.meta === undefined
      ? { id: randomUUID(), signal: signalName, payload: typed.json, occurredAt: new Date().toISOString(), attempt: 1, context: requestContext }
      : {
          id: randomUUID(),
          signal: signalName,
          payload: typed.json,
          payloadMeta: typed.meta,
          occurredAt: new Date().toISOString(),
          attempt: 1,
          context: requestContext,
        };
  return withJson(envelope);
}

/** The fields of `context` that go on the wire, and only those. */
function wireContext({ requestId, trace }: EnvelopeContext): EnvelopeContext {
  if (trace === undefined) return requestId === undefined ? {} : { requestId };
  return requestId === undefined ? { trace } : { requestId, trace };
}

function withJson(envelope: SignalEnvelope): SignalEnvelope & { json: string } {
  const json = JSON.stringify(envelope);
  return { id: envelope.id, signal: envelope.signal, payload: envelope.payload, payloadMeta: envelope.payloadMeta, occurredAt: envelope.occurredAt, attempt: envelope.attempt, context: envelope.context, json };
}

/**
 * The payload a receiver gets: the envelope's `payload`, with the values superjson carried
 * restored to their types.
 *
 * @throws Error when `payloadMeta` does not match the payload (a message written by hand).
 */
export function payloadOf(envelope: SignalEnvelope): unknown {
  if (envelope.payloadMeta === undefined) return envelope.payload;
  return SuperJSON.deserialize({ json: envelope.payload as SuperJSONResult['json'], meta: envelope.payloadMeta });
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
  return toEnvelope(JSON.parse(text));
}

/**
 * Checks a value already parsed from JSON (a client that decodes `application/json` bodies
 * itself, like rabbitmq-client) and returns it as an envelope, without a second parse.
 *
 * @throws Error when `value` is not an envelope.
 */
export function toEnvelope(value: unknown): SignalEnvelope {
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
    candidate.context !== null &&
    (candidate.payloadMeta === undefined || (typeof candidate.payloadMeta === 'object' && candidate.payloadMeta !== null)) &&
    (candidate.receiver === undefined || typeof candidate.receiver === 'string')
  );
}
