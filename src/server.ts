import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { dashboardExposureWarning, loadConfig, loadEnvFile } from './config.js';
import { buildContainer, type Container } from './container.js';
import { migrateToLatest } from './db/migrate.js';
import { exitGracefullyOnSignals, runMain } from './shutdown.js';
import { createSignalBackend, describeSignalBackend } from './signal-backend.js';
import { BrokerBackend } from './signals/brokers/index.js';
import { setBackend, type BaseSignalBackend } from './signals/index.js';
import { startTracing, type Tracing } from './tracing.js';

// This file is the web process: it is run, never imported. Everything reusable lives in
// container.ts, signal-backend.ts, shutdown.ts and app.ts; src/worker.ts runs the receivers apart.

async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  const container = buildContainer(config);
  const tracing = startTracing(config.tracing, 'express-signals-web', container.logger);
  const { metrics } = container;
  const backend = createSignalBackend(config, container.logger, container.outbox, container.observers);
  setBackend(backend);
  metrics.watch(backend);
  metrics.collectProcessMetrics();
  await migrateToLatest(container.connection);
  if (backend instanceof BrokerBackend) backend.startOutboxRelay();
  const app = createApp(container);
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const signals = describeSignalBackend(config);
  container.logger.info(`Listening on http://${host}:${port}; signals: ${signals}`, { address, port, signals });
  const exposed = dashboardExposureWarning(config);
  if (exposed !== undefined) container.logger.warn(exposed);
  exitGracefullyOnSignals({
    logger: container.logger,
    timeoutMs: config.shutdownTimeoutMs,
    finishing: 'in-flight requests',
    shutdown: () => shutdown(server, container, backend, tracing, Date.now() + config.shutdownTimeoutMs),
  });
}

/** In this order: no new requests, in-flight ones answered, then the backend, the database, and the last spans exported. */
async function shutdown(server: Server, container: Container, backend: BaseSignalBackend, tracing: Tracing | undefined, deadline: number): Promise<void> {
  await closeServer(server);
  await backend.close();
  await container.close();
  // A margin before the deadline, so that the process exits 0 rather than being cut off.
  await tracing?.shutdown(deadline - 250);
}

/**
 * Stops accepting connections and resolves once every in-flight request has been answered
 * (their signal dispatches run inside them). Keep-alive sockets are closed as they go idle.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    server.close((error) => {
      clearInterval(sweeper);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

runMain(main);
