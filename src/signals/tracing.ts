import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  trace,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

// Spans after the OpenTelemetry messaging semantic conventions: `send <signal>` (PRODUCER) and
// `process <signal>` (CONSUMER), the destination being the signal's name. Everything goes
// through @opentelemetry/api, a no-op until the app registers an SDK; when the tracer hands out
// non-recording spans, callers skip the rest (attributes, process spans, contexts).

/** The instrumentation scope of every span the signal core makes. */
export const TRACER_NAME = 'express-signals';

/** `messaging.system` of the in-process backend: the name the app and its docs give it. */
export const IN_PROCESS_SYSTEM = 'memory';

/** What a `process <signal>` span says about one receiver's run. */
export interface ProcessSpanFields {
  /** `messaging.system`: `memory`, `redis`, `rabbitmq`. */
  readonly system: string;
  readonly signalName: string;
  /** `messaging.consumer.group.name` and `signal.receiver`. */
  readonly receiverName: string;
  /** Broker backends: `messaging.message.id`. */
  readonly messageId?: string;
  /** Broker backends: `signal.attempt`, from 1. */
  readonly attempt?: number;
}

/**
 * W3C Trace Context fields (`traceparent`, `tracestate`), or whatever the globally registered
 * propagator writes, as `propagation.inject` leaves them on a plain object.
 */
export type TraceCarrier = Readonly<Record<string, string>>;

/**
 * The tracer of the registered SDK, or `undefined` when there is none. The global provider is a
 * proxy (`ProxyTracerProvider`) until an SDK registers behind it; asking it for its delegate's
 * tracer is the one check that costs no allocation when there is none, which keeps an untraced
 * send as fast as before (bench/dispatch.bench.ts). The class is deprecated for API 2.x, which
 * this package does not accept yet (`~1.9`).
 */
function sdkTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  if (provider instanceof ProxyTracerProvider) return provider.getDelegateTracer(TRACER_NAME);
  return provider.getTracer(TRACER_NAME);
}

/** True when an SDK is registered: spans may record. A global lookup, no allocation. */
export function isTracing(): boolean {
  return sdkTracer() !== undefined;
}

/** What a send or process span is when no SDK is registered: records nothing, carries nothing. */
const UNTRACED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

const SEND_OPTIONS = { kind: SpanKind.PRODUCER } as const;

/**
 * Starts `send <signal>`, a child of the active span, with the messaging attributes when it
 * records. Without an SDK it returns a shared span that records nothing, at no cost worth
 * measuring.
 */
export function startSendSpan(signalName: string, system: string): Span {
  const tracer = sdkTracer();
  if (tracer === undefined) return UNTRACED;
  const span = tracer.startSpan(`send ${signalName}`, SEND_OPTIONS);
  if (span.isRecording()) {
    span.setAttributes({
      'messaging.system': system,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': signalName,
    });
  }
  return span;
}

/** Sets `messaging.message.id` on a recording span. */
export function setMessageId(span: Span, messageId: string): void {
  if (span.isRecording()) span.setAttribute('messaging.message.id', messageId);
}

/** Starts `process <signal>` as a child of `parent`, with `links` (the send's span, across processes). */
export function startProcessSpan(fields: ProcessSpanFields, parent: Context, links?: Link[]): Span {
  const tracer = sdkTracer();
  if (tracer === undefined) return UNTRACED;
  const span = tracer.startSpan(`process ${fields.signalName}`, { kind: SpanKind.CONSUMER, links }, parent);
  if (!span.isRecording()) return span;
  span.setAttributes({
    'messaging.system': fields.system,
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': fields.signalName,
    'messaging.consumer.group.name': fields.receiverName,
    'signal.receiver': fields.receiverName,
  });
  if (fields.messageId !== undefined) span.setAttribute('messaging.message.id', fields.messageId);
  if (fields.attempt !== undefined) span.setAttribute('signal.attempt', fields.attempt);
  return span;
}

/**
 * Ends `span`; with `error`, records it as an exception, sets `error.type` to its name and the
 * status to ERROR with its message.
 */
export function endSpan(span: Span, error?: Error): void {
  if (error !== undefined && span.isRecording()) {
    span.recordException(error);
    span.setAttribute('error.type', error.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
  span.end();
}

/**
 * Runs `run` with `span` as the active span under `parent` (so that what it sends is a child of
 * it), then ends the span with the error `run` resolved to. `run` must not reject. A span that
 * neither records nor carries a trace (no SDK) is skipped: `run` runs as it is.
 */
export function inSpan(span: Span, parent: Context, run: () => Promise<Error | undefined>): Promise<Error | undefined> {
  // Not async here: an untraced run costs no extra promise or microtask.
  if (!span.isRecording() && !trace.isSpanContextValid(span.spanContext())) return run();
  return runInSpan(span, parent, run);
}

async function runInSpan(span: Span, parent: Context, run: () => Promise<Error | undefined>): Promise<Error | undefined> {
  let error: Error | undefined;
  try {
    error = await context.with(trace.setSpan(parent, span), run);
    return error;
  } finally {
    endSpan(span, error);
  }
}

/**
 * The trace context of `span` as the global propagator writes it, for a message: its W3C
 * `traceparent` and `tracestate` only (no baggage); `undefined` when there is nothing to carry
 * (no propagator registered, or no valid span).
 */
export function injectTraceContext(span: Span): TraceCarrier | undefined {
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  const written: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), written);
  // Only the trace context: a propagator that also writes baggage would copy what a client put
  // in its request's `baggage` header into every message, untrusted and unbounded.
  const carrier: Record<string, string> = {};
  for (const field of TRACE_CONTEXT_FIELDS) if (written[field] !== undefined) carrier[field] = written[field];
  return Object.keys(carrier).length === 0 ? undefined : carrier;
}

/** The W3C Trace Context fields a message carries. */
const TRACE_CONTEXT_FIELDS = ['traceparent', 'tracestate'] as const;

/**
 * The context a message's `carrier` was sent from, and a link to its span when there is one:
 * the parent and the links of a `process` span in another process.
 */
export function extractTraceContext(carrier: TraceCarrier | undefined): { parent: Context; links: Link[] | undefined } {
  if (carrier === undefined) return { parent: ROOT_CONTEXT, links: undefined };
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const sent = trace.getSpanContext(parent);
  return { parent, links: sent !== undefined && trace.isSpanContextValid(sent) ? [{ context: sent }] : undefined };
}
