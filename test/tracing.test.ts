import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisBroker } from './signals/brokers/support/brokers.js';
import { requireServer } from './signals/brokers/support/services.js';
import { uniquePrefix, waitFor } from './signals/brokers/support/waiting.js';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';

describe('Traces across the web process and a worker on redis (the real processes)', function () {
  this.timeout(60_000);
  before(requireServer('redis', redisBroker.url));

  let dir: string;
  let prefix: string;
  let collector: OtlpReceiver;
  const started: AppProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'express-signals-traces-'));
    prefix = uniquePrefix(redisBroker.separator);
    collector = new OtlpReceiver();
  });
  afterEach(async () => {
    await Promise.all(started.map((child) => child.kill()));
    started.length = 0;
    await collector.stop();
    await redisBroker.cleanup(prefix, 'user.created', []);
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(script: string, env: Record<string, string>, ready: RegExp): Promise<AppProcess> {
    const child = startAppProcess(script, env);
    started.push(child);
    await child.waitForLine(ready, 30_000);
    return child;
  }

  it('when POST /users is answered, then the web process and the worker export spans that share one trace id', async () => {
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      SIGNALS_BACKEND: 'redis',
      SIGNALS_PREFIX: prefix,
      REDIS_URL: redisBroker.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: await collector.start(),
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    await start('src/worker.ts', env, /Worker consuming signals on/);
    const web = await start('src/server.ts', { ...env, PORT: '0' }, /Listening on/);
    const url = /(http:\/\/[^";]+)/.exec(web.lines.find((line) => /Listening on/.test(line)) ?? '')?.[1] ?? '';

    const response = await fetch(`${url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' }),
    });
    expect(response.status).to.equal(201);

    const spansOf = (service: string, name: string): ReceivedSpan[] =>
      collector.spans.filter((span) => span.service === service && span.name === name);
    await waitFor('the spans of both processes', () => spansOf('express-signals-worker', 'process user.created').length >= 2, 15_000);
    const [request] = spansOf('express-signals-web', 'POST /users');
    const [send] = spansOf('express-signals-web', 'send user.created');
    const processed = spansOf('express-signals-worker', 'process user.created');
    expect(send?.parentSpanId).to.equal(request?.spanId);
    expect(processed.map((span) => span.traceId)).to.deep.equal([send?.traceId, send?.traceId]);
    for (const span of processed) expect(span.parentSpanId).to.equal(send?.spanId);
  });
});
