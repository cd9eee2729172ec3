import { loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { migrateToLatest } from './db/migrate.js';
import { registerListeners } from './listeners/index.js';
import { createLogger } from './logger.js';
import { exitGracefullyOnSignals, runMain } from './shutdown.js';
import { createWorkerBackend } from './signal-backend.js';
import { setBackend } from './signals/index.js';

// The worker process: runs the app's receivers on a broker backend, without the HTTP server,
// so that web processes and workers scale apart. Run, never imported.

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  // Before the database: with SIGNALS_BACKEND=memory there is nothing to consume.
  const backend = createWorkerBackend(config, logger);
  const container = buildContainer(config, { logger });
  await migrateToLatest(container.connection);
  setBackend(backend);
  registerListeners(container);
  await backend.whenConsuming();
  const url = new URL(config.signalsBackend === 'redis' ? config.broker.redisUrl : config.broker.amqpUrl);
  logger.info(`Worker consuming signals on ${config.signalsBackend} at ${url.host}`, { backend: config.signalsBackend });
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
