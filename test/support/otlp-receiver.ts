import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as a process exported it, with the `service.name` of its process. */
export interface ReceivedSpan {
  readonly service: string;
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
}

/** The parts of an OTLP/HTTP JSON `ExportTraceServiceRequest` read here. */
interface ExportRequest {
  readonly resourceSpans?: {
    readonly resource?: { readonly attributes?: { readonly key: string; readonly value?: { readonly stringValue?: string; readonly intValue?: number | string } }[] };
    readonly scopeSpans?: { readonly spans?: { name: string; traceId: string; spanId: string; parentSpanId?: string }[] }[];
  }[];
}

/**
 * A tiny OTLP/HTTP trace collector on a loopback port: what the app's exporter posts to
 * `<endpoint>/v1/traces` (JSON, gzipped or not) is kept in `spans`.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** The resource of each batch received, as key → value. */
  readonly resources: Record<string, string | number | undefined>[] = [];
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url === '/v1/traces') {
        this.#keep(JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8')) as ExportRequest);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  /** Listens on 127.0.0.1 and resolves with the endpoint to give `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #keep(request: ExportRequest): void {
    for (const { resource, scopeSpans = [] } of request.resourceSpans ?? []) {
      this.resources.push(Object.fromEntries((resource?.attributes ?? []).map(({ key, value }) => [key, value?.stringValue ?? value?.intValue])));
      const service = resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value?.stringValue ?? '';
      for (const { spans = [] } of scopeSpans) {
        for (const { name, traceId, spanId, parentSpanId } of spans) this.spans.push({ service, name, traceId, spanId, parentSpanId: parentSpanId || undefined });
      }
    }
  }
}
