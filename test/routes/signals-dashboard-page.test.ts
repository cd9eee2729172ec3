import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildContainer, type Container } from '../../src/container.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import type { MailMessage } from '../../src/services/mailer.js';
import { appSignals } from '../../src/services/signals.js';
import { createWorkerBackend } from '../../src/signal-backend.js';
import type { BrokerBackend } from '../../src/signals/brokers/index.js';
import { resetBackend, setBackend } from '../../src/signals/index.js';
import { rabbitBroker, redisBroker, type TestBroker } from '../signals/brokers/support/brokers.js';
import { requireServer } from '../signals/brokers/support/services.js';
import { uniquePrefix, waitFor } from '../signals/brokers/support/waiting.js';
import { useChromium } from '../support/chromium.js';
import { MemoryTransport } from '../support/memory-transport.js';

/** The reference app on a consuming broker backend in this process: it sends, and its receivers run here. */
interface BrokerApp {
  readonly url: string;
  readonly backend: BrokerBackend;
  readonly mails: MailMessage[];
  /** While true, every mail fails as if the SMTP server were down. */
  smtpDown: boolean;
  close(): Promise<void>;
}

async function startBrokerApp(broker: TestBroker, prefix: string, env: Record<string, string> = {}): Promise<BrokerApp> {
  const logger = createLogger({ level: 'debug', transports: [new MemoryTransport()] });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'sqlite::memory:',
    SIGNALS_BACKEND: broker.name,
    [broker.name === 'redis' ? 'REDIS_URL' : 'AMQP_URL']: broker.url,
    SIGNALS_PREFIX: prefix,
    SIGNALS_MAX_ATTEMPTS: '2',
    SIGNALS_RETRY_BASE_DELAY_MS: '10',
    SIGNALS_RETRY_MAX_DELAY_MS: '50',
    ...env,
  });
  const container: Container = buildContainer(config, { logger });
  const backend = createWorkerBackend(config, logger, container.outbox, container.observers);
  setBackend(backend);
  await migrateToLatest(container.connection);
  const state: BrokerApp = {
    url: '',
    backend,
    mails: [],
    smtpDown: true,
    close: () => Promise.resolve(),
  };
  sinon.stub(container.mailer, 'send').callsFake((message: MailMessage) => {
    if (state.smtpDown) return Promise.reject(new Error('SMTP 421 Service not available'));
    state.mails.push(message);
    return Promise.resolve();
  });
  const app: App = createApp(container);
  await backend.whenConsuming();
  const server = await new Promise<Server>((resolve) => {
    const started: Server = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      app.disposeListeners();
      await backend.close();
      await container.close();
      resetBackend();
      sinon.restore();
    },
  });
}

async function createUser(url: string, email: string): Promise<void> {
  const response = await fetch(`${url}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Ada', password: 'correct horse' }),
  });
  expect(response.status).to.equal(201);
}

for (const broker of [redisBroker, rabbitBroker]) {
  describe(`the signals dashboard in a browser, on ${broker.name}`, function () {
    this.timeout(90_000);
    before(requireServer(broker.name, broker.url));
    const browser = useChromium();
    let prefix = '';
    let running: BrokerApp | undefined;

    beforeEach(() => {
      prefix = uniquePrefix(broker.separator);
    });

    afterEach(async () => {
      const backend = running?.backend;
      const wiring = backend === undefined ? [] : appSignals.map((signal) => [signal.name, backend.receiverNames(signal)] as const);
      await running?.close();
      running = undefined;
      for (const [signal, receivers] of wiring) await broker.cleanup(prefix, signal, receivers);
    });

    it('when a receiver fails its last attempt, then its message shows as a dead letter, and Replay re-delivers it to the healed receiver and the row goes away', async () => {
      running = await startBrokerApp(broker, prefix);
      const { url, backend } = running;
      await createUser(url, 'ada@example.com');
      await waitFor('the dead letter', async () => (await backend.deadLetterCount()) === 1, 15_000);

      const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${url}/signals`);

      // The wiring: each signal and its receivers, with what waits for each on the broker.
      const wiringRow = page.locator('#wiring tr[data-signal="user.created"][data-receiver="sendWelcomeEmail"]');
      await wiringRow.waitFor();
      expect(await page.locator('#wiring tr[data-signal="user.created"]').count()).to.equal(2);
      expect(await page.locator('#backend').innerText()).to.contain(`${broker.name} at`);
      // The failures this process saw, grouped by error.
      const failure = page.locator('#failures tbody tr', { hasText: 'sendWelcomeEmail' });
      await failure.waitFor();
      expect(await failure.innerText()).to.contain('SMTP 421 Service not available');

      const row = page.locator('#dead-letters tr[data-id]');
      await row.waitFor();
      expect(await row.count()).to.equal(1);
      const text = await row.innerText();
      expect(text).to.contain('user.created').and.contain('sendWelcomeEmail').and.contain('Error: SMTP 421 Service not available').and.contain('ada@example.com');
      expect(await row.locator('td').nth(3).innerText()).to.equal('2');
      expect(await page.locator('#dead-letter-count').innerText()).to.equal('1');
      const messageId = await row.getAttribute('data-message-id');
      if (process.env.DASHBOARD_SCREENSHOT !== undefined) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });

      running.smtpDown = false;
      await row.getByRole('button', { name: 'Replay' }).click();

      await page.locator('#dead-letters tr[data-id]').waitFor({ state: 'detached' });
      expect(await page.locator('#result').innerText()).to.equal('Replayed 1');
      await waitFor('the welcome mail', () => running?.mails.length === 1, 10_000);
      expect(running.mails[0]?.to).to.equal('ada@example.com');
      expect(await backend.deadLetterCount()).to.equal(0);
      expect(messageId).to.be.a('string');
      expect(problems).to.deep.equal([]);
    });

    it('when the dashboard is read-only, then dead letters are listed with no Replay or Delete button, and the API refuses both', async () => {
      running = await startBrokerApp(broker, prefix, { SIGNALS_DASHBOARD: 'read-only' });
      const { url, backend } = running;
      await createUser(url, 'bob@example.com');
      await waitFor('the dead letter', async () => (await backend.deadLetterCount()) === 1, 15_000);

      const page = await browser().newPage();
      await page.goto(`${url}/signals/`);
      const row = page.locator('#dead-letters tr[data-id]');
      await row.waitFor();
      expect(await page.locator('#mode').isVisible()).to.equal(true);
      expect(await row.getByRole('button').count()).to.equal(0);
      expect(await page.locator('#replay-matching').isVisible()).to.equal(false);

      const refused = await fetch(`${url}/signals/api/dead-letters/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"all":true}' });
      expect(refused.status).to.equal(403);
      expect(await backend.deadLetterCount()).to.equal(1);
    });
  });
}
