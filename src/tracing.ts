import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from './config.js';
import type { Logger } from './logger.js';

/** The OpenTelemetry SDK of this process, once registered. */
export interface Tracing {
  /**
   * Exports the spans still buffered, then stops; for the graceful shutdown. Gives up at
   * `deadline` (epoch ms) with a warning, so that a collector that does not answer cannot hold
   * the process past `SHUTDOWN_TIMEOUT_MS` (the exporter alone waits 10 s). Never rejects.
   */
  shutdown(deadline: number): Promise<void>;
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
  // OTEL_RESOURCE_ATTRIBUTES (and OTEL_SERVICE_NAME), the host and the process, so that replicas differ.
  const detected = detectResources({ detectors: [envDetector, hostDetector, processDetector] });
  const fromEnvironment = process.env.OTEL_RESOURCE_ATTRIBUTES?.includes('service.name=') === true ? detected.attributes['service.name'] : undefined;
  const serviceName = config.serviceName ?? (typeof fromEnvironment === 'string' ? fromEnvironment : defaultServiceName);
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(detected).merge(resourceFromAttributes({ 'service.name': serviceName })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  provider.register();
  const shown = redactUrl(config.tracesUrl);
  logger.info(`Tracing to ${shown} as ${serviceName}`, { tracesUrl: shown, serviceName });
  return {
    async shutdown(deadline) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(deadline - Date.now(), 0))));
      const done = provider.shutdown().then(
        () => 'done' as const,
        (error: unknown) => void logger.warn('The last spans could not be exported', { error: String(error) }),
      );
      if ((await Promise.race([done, late])) === 'late') logger.warn('The last spans were not exported before the shutdown deadline');
      clearTimeout(timer);
    },
  };
}

/** `url` without its credentials and with its query elided, for a log line. */
export function redactUrl(url: string): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  const query = shown.search === '' ? '' : '?…';
  shown.search = '';
  return `${shown.href}${query}`;
}

function diagToLogger(logger: Logger): DiagLogger {
  const warn = (message: string, ...args: unknown[]): void => void logger.warn(`OpenTelemetry: ${message}`, { details: args.map(String) });
  return { error: warn, warn, info: () => undefined, debug: () => undefined, verbose: () => undefined };
}
