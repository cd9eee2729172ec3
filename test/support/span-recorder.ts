import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';

/** The spans ended since the test began, as an exporter got them. */
export interface SpanRecorder {
  /** Every finished span, in the order they ended. */
  spans(): ReadableSpan[];
  /** The finished spans named `name`. */
  named(name: string): ReadableSpan[];
}

/**
 * Registers the mocha hooks that give each test an OpenTelemetry SDK of its own, as an app's
 * startup would (global tracer provider, AsyncLocalStorage context, W3C propagator), exporting
 * to memory; afterwards the globals are unregistered, so other suites run without an SDK.
 */
export function useSpanRecorder(): SpanRecorder {
  let exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider | undefined;

  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
  });
  afterEach(async () => {
    await provider?.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  return {
    spans: () => exporter.getFinishedSpans(),
    named: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
  };
}
