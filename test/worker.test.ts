import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DashboardState } from '../src/signals/dashboard/index.js';
import { rabbitBroker, redisBroker, type TestBroker } from './signals/brokers/support/brokers.js';
import { requireServer } from './signals/brokers/support/services.js';
import { uniquePrefix, waitFor } from './signals/brokers/support/waiting.js';
import { startAppProcess, type AppProcess } from './support/app-process.js';
import { sampleValue } from './support/prometheus.js';
import { TcpProxy } from './support/tcp-proxy.js';

interface AuditEvent {
  readonly signal: string;
}

const CONSUMING = /Consuming signal '([^']+)' for receiver (\w+)/;

/** Every signal the workers consumed, with its receivers, as their logs listed them: what to clean up. */
function consumedSignals(workers: AppProcess[]): Map<string, string[]> {
  const signals = new Map<string, string[]>();
  for (const line of workers.flatMap((worker) => worker.lines)) {
    const [, signal, receiver] = CONSUMING.exec(line) ?? [];
    if (signal !== undefined && receiver !== undefined) signals.set(signal, [...(signals.get(signal) ?? []), receiver]);
  }
  return signals;
}

async function auditSignals(url: string, userId: number): Promise<string[]> {
  const events = (await (await fetch(`${url}/audit-events?entity=user&entityId=${userId}`)).json()) as AuditEvent[];
  return events.map((event) => event.signal);
}

for (const broker of [redisBroker, rabbitBroker]) {
  describeAcrossProcesses(broker);
}

function describeAcrossProcesses(broker: TestBroker): void {
  describe(`worker.ts with the web process on ${broker.name} (the real processes)`, function () {
    this.timeout(60_000);
    before(requireServer(broker.name, broker.url));

    let dir: string;
    let prefix: string;
    let env: Record<string, string>;
    const started: AppProcess[] = [];
    let proxy: TcpProxy | undefined;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'express-signals-worker-'));
      prefix = uniquePrefix(broker.separator);
      env = {
        // One SQLite file (WAL) shared by both processes, as two processes would share a server.
        DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
        SIGNALS_BACKEND: broker.name,
        SIGNALS_PREFIX: prefix,
        [broker.name === 'redis' ? 'REDIS_URL' : 'AMQP_URL']: broker.url,
        SIGNALS_RETRY_BASE_DELAY_MS: '50',
        SIGNALS_RETRY_MAX_DELAY_MS: '200',
      };
    });

    afterEach(async () => {
      await Promise.all(started.map((child) => child.kill()));
      const signals = consumedSignals(started);
      started.length = 0;
      await proxy?.down();
      proxy = undefined;
      for (const [signal, receivers] of signals) await broker.cleanup(prefix, signal, receivers);
      if (signals.size === 0) await broker.cleanup(prefix, 'none', []);
      rmSync(dir, { recursive: true, force: true });
    });

    async function startWorker(overrides: Record<string, string> = {}): Promise<AppProcess> {
      const worker = startAppProcess('src/worker.ts', { ...env, ...overrides });
      started.push(worker);
      await worker.waitForLine(/Worker consuming signals on/, 30_000);
      return worker;
    }

    async function startWeb(overrides: Record<string, string> = {}): Promise<{ web: AppProcess; url: string }> {
      const web = startAppProcess('src/server.ts', { ...env, PORT: '0', ...overrides });
      started.push(web);
      const url = /(http:\/\/[^";]+)/.exec(await web.waitForLine(/Listening on/, 30_000))?.[1] ?? '';
      return { web, url };
    }

    async function startBoth(): Promise<{ worker: AppProcess; url: string }> {
      const worker = await startWorker();
      const { url } = await startWeb();
      return { worker, url };
    }

    async function createUser(url: string, email: string): Promise<number> {
      const response = await fetch(`${url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: 'Ada', password: 'correct horse' }),
      });
      expect(response.status).to.equal(201);
      return ((await response.json()) as { id: number }).id;
    }

    it('when the web process starts before any worker, then a user created meanwhile is mailed and audited once the worker starts', async () => {
      const { url } = await startWeb();
      const id = await createUser(url, 'early@example.com');
      const worker = await startWorker();
      await worker.waitForLine(/Mail sent to early@example\.com/, 10_000);
      await waitFor('the audit row', async () => (await auditSignals(url, id)).includes('user.created'), 10_000);
      expect(await auditSignals(url, id)).to.deep.equal(['user.created']);
    });

    it('when the web process is killed after commits while the broker is unreachable, then the signals are delivered after a restart', async () => {
      proxy = new TcpProxy(broker.url);
      await proxy.up();
      const urlVariable = broker.name === 'redis' ? 'REDIS_URL' : 'AMQP_URL';
      const { web, url } = await startWeb({ [urlVariable]: proxy.url(broker.url) });
      await proxy.down();
      const ids = [await createUser(url, 'a@example.com'), await createUser(url, 'b@example.com')];
      await web.kill();
      await startWorker();
      const { url: restarted } = await startWeb();
      for (const id of ids) {
        await waitFor(`the audit row of user ${id}`, async () => (await auditSignals(restarted, id)).includes('user.created'), 15_000);
      }
      for (const id of ids) expect(await auditSignals(restarted, id)).to.deep.equal(['user.created']);
    });

    it('when a user is created on the web process, then the worker mails them under the same request id and writes the audit row', async () => {
      const { worker, url } = await startBoth();
      const response = await fetch(`${url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', password: 'correct horse' }),
      });
      expect(response.status).to.equal(201);
      const requestId = response.headers.get('x-request-id');
      const { id } = (await response.json()) as { id: number };

      const mailLine = JSON.parse(await worker.waitForLine(/Mail sent to ada@example\.com/, 5000)) as Record<string, unknown>;
      expect(mailLine).to.include({ subject: 'Welcome, Ada', requestId });
      await waitFor('the audit row written by the worker', async () => (await auditSignals(url, id)).includes('user.created'));
      expect(await auditSignals(url, id)).to.deep.equal(['user.created']);
    });

    it('when METRICS_PORT is set, then the worker answers GET /metrics with the deliveries it ran, and still exits 0 on SIGTERM', async () => {
      const worker = await startWorker({ METRICS_PORT: '0' });
      const metricsUrl = /(http:\/\/[^";]+\/metrics)/.exec(await worker.waitForLine(/Metrics on http/))?.[1] ?? '';
      const { url } = await startWeb();
      const id = await createUser(url, 'ada@example.com');
      await waitFor('the audit row', async () => (await auditSignals(url, id)).includes('user.created'), 10_000);
      await worker.waitForLine(/Mail sent to ada@example\.com/);

      const scrape = await fetch(metricsUrl);
      expect(scrape.status).to.equal(200);
      expect(scrape.headers.get('content-type')).to.equal('text/plain; version=0.0.4; charset=utf-8');
      const text = await scrape.text();
      const destination = { messaging_system: broker.name, messaging_destination_name: 'user.created' };
      for (const receiver of ['sendWelcomeEmail', 'auditUserCreated']) {
        const labels = { ...destination, messaging_operation_name: 'process', receiver, outcome: 'success' };
        expect(sampleValue(text, 'messaging_client_consumed_messages_total', labels), receiver).to.equal(1);
      }
      expect(sampleValue(text, 'messaging_dead_letter_messages', { messaging_system: broker.name })).to.equal(0);
      expect(sampleValue(text, 'process_cpu_seconds_total')).to.be.a('number');
      expect((await fetch(metricsUrl.replace('/metrics', '/users'))).status).to.equal(404);

      // Either process's relay may publish the outbox row: between them, it was sent once.
      const web = await (await fetch(`${url}/metrics`)).text();
      const sent = { ...destination, messaging_operation_name: 'send' };
      const sentBy = (scraped: string): number => sampleValue(scraped, 'messaging_client_sent_messages_total', sent) ?? 0;
      expect(sentBy(web) + sentBy(text)).to.equal(1);
      expect(sampleValue(web, 'messaging_outbox_pending_messages', { messaging_system: broker.name })).to.equal(0);

      // The worker's dashboard shows the runs of its receivers.
      const state = (await (await fetch(metricsUrl.replace('/metrics', '/signals/api/state'))).json()) as DashboardState;
      const runs = state.stats?.receivers.filter((entry) => entry.signal === 'user.created').map((entry) => [entry.receiver, entry.runs]);
      expect(runs).to.have.deep.members([
        ['sendWelcomeEmail', 1],
        ['auditUserCreated', 1],
      ]);

      worker.child.kill('SIGTERM');
      expect(await worker.exited).to.equal(0);
    });

    it('when the idle worker gets SIGTERM, then it logs it and exits 0; the web process has no dev mailbox', async () => {
      const { worker, url } = await startBoth();
      expect((await fetch(`${url}/dev/mailbox`)).status).to.equal(404);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).to.equal(0);
      await worker.waitForLine(/SIGTERM received/);
    });
  });
}
