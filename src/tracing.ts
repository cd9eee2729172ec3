import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from './config.js';
import type { Logger } from './logger.js';

/** The OpenTelemetry SDK of this process, once registered. */
export interface Tracing {
  /** Exports the spans still buffered, then stops; for the graceful shutdown. Never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK when `config.tracesUrl` is set (`OTEL_EXPORTER_OTLP_ENDPOINT`
 * or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), as the first thing a process does: a
 * `NodeTracerProvider` (AsyncLocalStorage context, W3C trace context and baggage propagation)
 * exporting through a `BatchSpanProcessor` (`OTEL_BSP_*` tune it) to the OTLP/HTTP exporter,
 * which posts JSON to `config.tracesUrl` (`OTEL_EXPORTER_OTLP_HEADERS` and `_TIMEOUT` apply).
 * The signal core and `traceRequests` then record spans; without it they cost nothing.
 * The SDK's own warnings (an unreachable collector) go to `logger`.
 *
 * @param defaultServiceName - `service.name` unless `OTEL_SERVICE_NAME` says otherwise.
 * @returns its shutdown, or `undefined` when tracing is off.
 */
export function startTracing(config: TracingConfig, defaultServiceName: string, logger: Logger): Tracing | undefined {
  if (config.tracesUrl === undefined) return undefined;
  diag.setLogger(diagToLogger(logger), DiagLogLevel.WARN);
  const serviceName = config.serviceName ?? defaultServiceName;
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  provider.register();
  logger.info(`Tracing to ${config.tracesUrl} as ${serviceName}`, { tracesUrl: config.tracesUrl, serviceName });
  return {
    shutdown: () =>
      provider.shutdown().catch((error: unknown) => {
        logger.warn('The last spans could not be exported', { error: String(error) });
      }),
  };
}

function diagToLogger(logger: Logger): DiagLogger {
  const warn = (message: string, ...args: unknown[]): void => void logger.warn(`OpenTelemetry: ${message}`, { details: args.map(String) });
  return { error: warn, warn, info: () => undefined, debug: () => undefined, verbose: () => undefined };
}
