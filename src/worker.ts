import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardSettings } from './app.js';
import { dashboardExposureWarning, loadConfig, loadEnvFile, type AppConfig } from './config.js';
import { buildContainer } from './container.js';
import { migrateToLatest } from './db/migrate.js';
import { registerListeners } from './listeners/index.js';
import { createLogger, type Logger } from './logger.js';
import { createMetricsApp } from './metrics-app.js';
import type { SignalMetrics } from './metrics.js';
import { exitGracefullyOnSignals, runMain } from './shutdown.js';
import { createWorkerBackend, describeSignalBackend } from './signal-backend.js';
import { setBackend } from './signals/index.js';
import { startTracing } from './tracing.js';

// The worker process: runs the app's receivers on a broker backend, without the HTTP server,
// so that web processes and workers scale apart. Run, never imported.

async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const tracing = startTracing(config.tracing, 'express-signals-worker', logger);
  // Connects nothing yet; with SIGNALS_BACKEND=memory the backend refuses before any I/O.
  const container = buildContainer(config, { logger });
  const { metrics } = container;
  const backend = createWorkerBackend(config, logger, container.outbox, container.observers);
  metrics.watch(backend);
  metrics.collectProcessMetrics();
  await migrateToLatest(container.connection);
  setBackend(backend);
  registerListeners(container);
  await backend.whenConsuming();
  // Receivers may send signals of their own: their outbox rows are relayed from here too.
  backend.startOutboxRelay();
  const metricsServer = await serveMetrics(metrics, config, logger, container.dashboard);
  const signals = describeSignalBackend(config);
  logger.info(`Worker consuming signals on ${signals}`, { backend: config.signalsBackend, signals });
  exitGracefullyOnSignals({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    finishing: 'the messages in hand',
    // The backend first: its receivers still write to the database while they finish and ack.
    shutdown: async () => {
      const deadline = Date.now() + config.shutdownTimeoutMs;
      await backend.close();
      await container.close();
      await new Promise((resolve) => (metricsServer === undefined ? resolve(undefined) : metricsServer.close(resolve)));
      // A margin before the deadline, so that the process exits 0 rather than being cut off.
      await tracing?.shutdown(deadline - 250);
    },
  });
}

/** With `METRICS_PORT`, listens for `GET /metrics` there (at `HOST`) and logs where. */
async function serveMetrics(metrics: SignalMetrics, config: AppConfig, logger: Logger, dashboard: DashboardSettings | undefined): Promise<Server | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const server = createMetricsApp(metrics, logger, dashboard).listen(config.metricsPort, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const where = dashboard === undefined ? '' : ` and its dashboard on http://${host}:${port}/signals/`;
  logger.info(`Metrics on http://${host}:${port}/metrics${where}`, { address, port });
  const exposed = dashboard === undefined ? undefined : dashboardExposureWarning(config);
  if (exposed !== undefined) logger.warn(exposed);
  return server;
}

runMain(main);
