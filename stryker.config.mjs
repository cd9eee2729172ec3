// @ts-check
import process from 'node:process';

/**
 * Mutation testing with StrykerJS 9 (`npm run test:mutation`). Not part of `npm test` or CI:
 * a full run takes about half an hour on two shared cores. Results and the mutants that survive
 * on purpose are in docs/mutation-testing.md.
 *
 * MUTATION_SCOPE picks what is mutated: `app` (services, middleware, routes, config), `signals`
 * (the signal core), or both when unset; `outbox` (the transactional outbox) only when asked
 * for. The Redis and RabbitMQ adapters are left out: their suites need the servers and take
 * seconds per test. `--mutate <glob>` narrows it further, e.g.
 * `npm run test:mutation -- --mutate src/config.ts`.
 */

const scopes = {
  // openapi-parts.ts only builds the API document (see stryker/ignorers.mjs).
  app: ['src/services/**/*.ts', 'src/middleware/**/*.ts', 'src/routes/**/*.ts', '!src/routes/openapi-parts.ts', 'src/config.ts'],
  signals: ['src/signals/*.ts', '!src/signals/index.ts', '!src/signals/types.ts'],
  // An adapter beside the brokers: its PostgreSQL half runs only with TEST_DATABASE_URL.
  outbox: ['src/signals/outbox/*.ts', '!src/signals/outbox/index.ts'],
};

const scope = process.env.MUTATION_SCOPE;
if (scope !== undefined && !(scope in scopes)) {
  throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(scopes).join(', ')}, got '${scope}'`);
}
const mutate = scope === undefined ? [...scopes.app, ...scopes.signals] : scopes[/** @type {keyof typeof scopes} */ (scope)];

// The suites that run in a few seconds with nothing but this process: in-memory SQLite,
// fakes and a loopback HTTP server. Left out: the broker suites, and those that start the
// server or worker as child processes or need PostgreSQL. Quick unit suites come first: a
// static mutant (one that runs at import, such as a schema) reruns every suite until one fails.
const spec = [
  'test/config.test.ts',
  'test/env-file.test.ts',
  'test/middleware/*.test.ts',
  'test/signals/*.test.ts',
  'test/signals/outbox/kysely-outbox-store.test.ts',
  'test/signals/outbox/outbox-relay.test.ts',
  'test/services/*.test.ts',
  'test/listeners/index.test.ts',
  'test/listeners/user.listeners.test.ts',
  'test/listeners/order.listeners.test.ts',
  'test/listeners/redelivery.test.ts',
  'test/routes/*.test.ts',
  'test/app.test.ts',
  'test/openapi.test.ts',
  'test/wiring.test.ts',
];
// Within those folders, suites that put a TCP proxy in front of Redis, RabbitMQ or PostgreSQL.
const ignore = ['test/middleware/request-context-lifetime.test.ts'];

// The test runners inherit this environment: keep the database suites on SQLite (a PostgreSQL
// copy of each would double every run and need a server).
delete process.env.TEST_DATABASE_URL;
delete process.env.REQUIRE_SERVICES;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  mutate,
  testRunner: 'mocha',
  mochaOptions: { spec, ignore, extension: ['ts'], require: ['./stryker/mocha-hooks.mjs'] },
  testRunnerNodeArgs: ['--import', 'tsx', '--no-warnings=ExperimentalWarning'],
  appendPlugins: ['./stryker/ignorers.mjs'],
  ignorers: ['api-document'],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner at a time.
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  thresholds: { high: 95, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

export default config;
