import type { Server } from 'node:http';
import sinon from 'sinon';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildContainer, type Container } from '../../src/container.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { InProcessBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { databaseTargets, requireDatabase, sqliteTarget, type DatabaseTarget, type TestDatabase } from './databases.js';
import { MemoryTransport } from './memory-transport.js';

export interface TestApp {
  readonly app: App;
  readonly container: Container;
  readonly logs: MemoryTransport;
  /** The app listening on a loopback port, for many requests at once; opened on first use. */
  server(): Promise<Server>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment on top of `NODE_ENV=test`; `DATABASE_URL` is ignored when `database` is given. */
  readonly env?: Record<string, string>;
  /** Defaults to a fresh in-memory SQLite database. */
  readonly database?: TestDatabase;
}

/**
 * The real app over a fresh, migrated database (in-memory SQLite unless told otherwise), on a
 * fresh in-process backend whose receiver failures land in `logs` and whose sends and receivers
 * are counted at `GET /metrics`.
 */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { env = {}, database = await sqliteTarget.create() } = options;
  const logs = new MemoryTransport();
  const logger = createLogger({ level: 'debug', transports: [logs] });
  const config = { ...loadConfig({ DATABASE_URL: 'sqlite::memory:', NODE_ENV: 'test', ...env }), database: database.config };
  const container = buildContainer(config, { logger, postgres: database.postgres });
  // As the web process builds it on the memory backend, observed by the metrics and the dashboard.
  setBackend(new InProcessBackend({ logger, receiverTimeoutMs: config.receiverTimeoutMs, ...container.observers }));
  await migrateToLatest(container.connection);
  const app = createApp(container);
  let listening: Promise<Server> | undefined;
  const server = (): Promise<Server> =>
    (listening ??= new Promise((resolve) => {
      const started: Server = app.listen(0, '127.0.0.1', () => resolve(started));
    }));
  return {
    app,
    container,
    logs,
    server,
    async close() {
      if (listening !== undefined) {
        const open = await listening;
        open.closeAllConnections();
        await new Promise((resolve) => open.close(resolve));
      }
      app.disposeListeners();
      await container.close();
      await database.drop();
      resetBackend();
    },
  };
}

function useTestAppOn(target: DatabaseTarget, env: Record<string, string>): () => TestApp {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await buildTestApp({ env, database: await target.create() });
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

/**
 * Registers mocha hooks that build a fresh test app before each test and close it (and
 * restore sinon) after. Call it inside a `describe`; the getter returns the current app.
 */
export function useTestApp(env: Record<string, string> = {}): () => TestApp {
  return useTestAppOn(sqliteTarget, env);
}

/**
 * Declares `body` once per database (SQLite, and PostgreSQL when `TEST_DATABASE_URL` is set),
 * each test with a fresh app over a fresh database. An unusable PostgreSQL skips with the
 * reason printed, or fails when `REQUIRE_SERVICES=1`.
 */
export function describeAppOnEachDatabase(
  title: string,
  body: (t: () => TestApp, target: DatabaseTarget) => void,
  env: Record<string, string> = {},
): void {
  for (const target of databaseTargets()) {
    describe(`${title} on ${target.name}`, function () {
      before(requireDatabase(target, title));
      body(useTestAppOn(target, env), target);
    });
  }
}
