import { loadConfig, loadEnvFile } from './config.js';
import { buildContainer } from './container.js';
import { migrateToLatest } from './db/migrate.js';
import { registerListeners } from './listeners/index.js';
import { createLogger } from './logger.js';
import { exitGracefullyOnSignals, runMain } from './shutdown.js';
import { createWorkerBackend, describeSignalBackend } from './signal-backend.js';
import { setBackend } from './signals/index.js';

// The worker process: runs the app's receivers on a broker backend, without the HTTP server,
// so that web processes and workers scale apart. Run, never imported.

async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // Connects nothing yet; with SIGNALS_BACKEND=memory the backend refuses before any I/O.
  const container = buildContainer(config, { logger });
  const backend = createWorkerBackend(config, logger, container.outbox);
  await migrateToLatest(container.connection);
  setBackend(backend);
  registerListeners(container);
  await backend.whenConsuming();
  // Receivers may send signals of their own: their outbox rows are relayed from here too.
  backend.startOutboxRelay();
  const signals = describeSignalBackend(config);
  logger.info(`Worker consuming signals on ${signals}`, { backend: config.signalsBackend, signals });
  exitGracefullyOnSignals({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    finishing: 'the messages in hand',
    // The backend first: its receivers still write to the database while they finish and ack.
    shutdown: async () => {
      await backend.close();
      await container.close();
    },
  });
}

runMain(main);
