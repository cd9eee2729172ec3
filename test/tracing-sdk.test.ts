import { context, propagation, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { redactUrl, startTracing } from '../src/tracing.js';
import { MemoryTransport } from './support/memory-transport.js';
import { OtlpReceiver } from './support/otlp-receiver.js';

describe('startTracing()', function () {
  this.timeout(20_000);
  const logs = new MemoryTransport();
  const logger = createLogger({ level: 'debug', transports: [logs] });
  const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;

  afterEach(() => {
    trace.disable();
    propagation.disable();
    context.disable();
    if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
  });

  it('when the collector never answers, then the shutdown still ends by the deadline it is given', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const tracing = startTracing({ tracesUrl: `http://127.0.0.1:${port}/v1/traces`, serviceName: undefined }, 'test-web', logger);
      trace.getTracer('test').startSpan('POST /users').end();
      const started = Date.now();
      await tracing?.shutdown(started + 500);
      expect(Date.now() - started).to.be.lessThan(3000);
      expect(logs.entries.map((entry) => entry.message)).to.include('The last spans were not exported before the shutdown deadline');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('when OTEL_RESOURCE_ATTRIBUTES is set, then the spans carry those attributes, and the process its own', async () => {
    const collector = new OtlpReceiver();
    const endpoint = await collector.start();
    try {
      process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=staging,service.version=1.2.3';
      const tracing = startTracing({ tracesUrl: `${endpoint}/v1/traces`, serviceName: undefined }, 'test-web', logger);
      trace.getTracer('test').startSpan('POST /users').end();
      await tracing?.shutdown(Date.now() + 5000);
      const [resource] = collector.resources;
      expect(resource).to.include({ 'service.name': 'test-web', 'deployment.environment.name': 'staging', 'service.version': '1.2.3' });
      expect(resource).to.have.property('process.pid');
    } finally {
      await collector.stop();
    }
  });

  it('when the endpoint has credentials or a query, then the startup line shows neither', () => {
    expect(redactUrl('http://user:s3cr3t@collector:4318/v1/traces?token=abc')).to.equal('http://collector:4318/v1/traces?…');
    expect(redactUrl('https://collector.example.com/v1/traces')).to.equal('https://collector.example.com/v1/traces');
  });
});

describe('loadConfig(): tracing', () => {
  it('when the base endpoint has a query, then /v1/traces goes into its path and the query stays', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp?token=abc' }).tracing.tracesUrl).to.equal('http://collector:4318/otlp/v1/traces?token=abc');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.tracesUrl).to.equal('http://collector:4318/v1/traces');
  });

  it('when OTEL_SDK_DISABLED is true, then nothing is traced, whatever the endpoint', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }).tracing.tracesUrl).to.equal(undefined);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }).tracing.tracesUrl).to.equal('http://collector:4318/v1/traces');
  });
});
