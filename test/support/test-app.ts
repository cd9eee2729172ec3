import sinon from 'sinon';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildContainer, type Container } from '../../src/container.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { InProcessBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { MemoryTransport } from './memory-transport.js';

export interface TestApp {
  readonly app: App;
  readonly container: Container;
  readonly logs: MemoryTransport;
  close(): Promise<void>;
}

/**
 * The real app over a fresh, migrated in-memory SQLite database, on a fresh in-process
 * backend whose receiver failures land in `logs`.
 */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const logs = new MemoryTransport();
  const logger = createLogger({ level: 'debug', transports: [logs] });
  setBackend(new InProcessBackend({ logger }));
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', NODE_ENV: 'test', ...env });
  const container = buildContainer(config, { logger });
  await migrateToLatest(container.connection);
  const app = createApp(container);
  return {
    app,
    container,
    logs,
    async close() {
      app.disposeListeners();
      await container.close();
      resetBackend();
    },
  };
}

/**
 * Registers mocha hooks that build a fresh test app before each test and close it (and
 * restore sinon) after. Call it inside a `describe`; the getter returns the current app.
 */
export function useTestApp(env: Record<string, string> = {}): () => TestApp {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await buildTestApp(env);
  });
  afterEach(async () => {
    sinon.restore();
    await current?.close();
    current = undefined;
  });
  return () => {
    if (current === undefined) throw new Error('useTestApp(): no app outside a test');
    return current;
  };
}
