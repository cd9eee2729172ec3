import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { buildContainer, type Container } from './container.js';
import { migrateToLatest } from './db/migrate.js';
import { errorFields } from './logger.js';
import { createSignalBackend } from './signal-backend.js';
import { setBackend, type BaseSignalBackend } from './signals/index.js';

// This file is the process: it is run, never imported. Everything reusable lives in
// container.ts, signal-backend.ts and app.ts.

async function main(): Promise<void> {
  const config = loadConfig();
  const container = buildContainer(config);
  const backend = createSignalBackend(config, container.logger);
  setBackend(backend);
  await migrateToLatest(container.connection);
  const app = createApp(container);
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  container.logger.info(`Listening on http://${host}:${port}`, { address, port });
  stopOnSignals(server, container, backend);
}

function stopOnSignals(server: Server, container: Container, backend: BaseSignalBackend): void {
  const { logger, config } = container;
  const stop = (signal: NodeJS.Signals): void => {
    logger.info(`${signal} received: finishing in-flight requests, then exiting`);
    // Not unref'd: if the shutdown stalls with nothing else pending, this still ends it with 1.
    setTimeout(() => {
      logger.error(`Shutdown did not finish within ${config.shutdownTimeoutMs} ms; exiting with 1`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    shutdown(server, container, backend).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('Shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  // `once`: a second signal gets Node's default and ends the process at once.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** In this order: no new requests, in-flight ones answered, then the backend, then the database. */
async function shutdown(server: Server, container: Container, backend: BaseSignalBackend): Promise<void> {
  await closeServer(server);
  await backend.close();
  await container.close();
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

main().catch((error: unknown) => {
  // One line, naming the problem: a bad variable, an unreachable database.
  const message = error instanceof ConfigError ? error.message : `Startup failed: ${String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
