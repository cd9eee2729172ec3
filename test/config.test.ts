import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, dashboardExposureWarning, loadConfig, loadEnvFile, type AppConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSignalBackend, createWorkerBackend } from '../src/signal-backend.js';
import { RabbitMQBackend, RedisStreamsBackend } from '../src/signals/brokers/index.js';
import { InProcessBackend } from '../src/signals/index.js';
import { MemoryTransport } from './support/memory-transport.js';

describe('loadConfig()', () => {
  it('when nothing is set, then it serves on loopback port 3000 with a SQLite file under data/', () => {
    const config = loadConfig({});
    expect(config).to.deep.include({ port: 3000, host: '127.0.0.1', nodeEnv: 'development', signalsBackend: 'memory' });
    expect(config.database).to.deep.equal({ kind: 'sqlite', filename: 'data/app.db' });
    expect(config.receiverTimeoutMs).to.equal(5000);
    expect(config).to.deep.include({ logLevel: 'http', logFormat: 'pretty' });
  });

  it('when NODE_ENV is production or test, then logs are JSON lines unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).logFormat).to.equal('json');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).to.equal('json');
    expect(loadConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).logFormat).to.equal('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).to.throw(/LOG_FORMAT/);
  });

  it('when DATABASE_URL is a postgres URL, then it selects PostgreSQL', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/app';
    expect(loadConfig({ DATABASE_URL: url }).database).to.deep.equal({ kind: 'postgres', url });
  });

  it('when nothing about brokers is set, then they are on loopback with the backends\' retry defaults', () => {
    expect(loadConfig({}).broker).to.deep.equal({
      redisUrl: 'redis://127.0.0.1:6379',
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
      prefix: undefined,
      maxAttempts: 5,
      retryBaseDelayMs: 1000,
      retryMaxDelayMs: 30_000,
      outboxPollIntervalMs: 1000,
      claimIdleMs: 15_000,
      reclaimIntervalMs: 2000,
      startFrom: 'end',
    });
  });

  it('when a database timeout is longer than a timer can wait, then it throws one line naming it', () => {
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: String(2 ** 31) })).to.throw(/DATABASE_STATEMENT_TIMEOUT_MS/);
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: String(2 ** 31 - 1) }).databaseTimeouts.statementMs).to.equal(2 ** 31 - 1);
  });

  it('when a variable is empty, then its default applies', () => {
    expect(loadConfig({ PORT: '' }).port).to.equal(3000);
  });

  const bad: [string, string][] = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/app'],
    ['SIGNALS_BACKEND', 'kafka'],
    ['SHUTDOWN_TIMEOUT_MS', '-5'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['AMQP_URL', 'not a url'],
    ['SIGNALS_PREFIX', 'has spaces'],
    ['SIGNALS_MAX_ATTEMPTS', '0'],
    ['SIGNALS_RETRY_BASE_DELAY_MS', 'soon'],
  ];
  for (const [variable, value] of bad) {
    it(`when ${variable}=${value}, then it throws one line naming ${variable}`, () => {
      expect(() => loadConfig({ [variable]: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(new RegExp(`^Invalid configuration: ${variable}: [^\\n]+$`));
    });
  }

  it('when every variable is set, then each lands in its field', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'sqlite:/var/lib/shop/app.db',
      DATABASE_CONNECT_TIMEOUT_MS: '101',
      DATABASE_STATEMENT_TIMEOUT_MS: '102',
      DATABASE_BUSY_TIMEOUT_MS: '103',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      NODE_ENV: 'production',
      SIGNALS_BACKEND: 'rabbitmq',
      REDIS_URL: 'rediss://cache.example.com:6380',
      AMQP_URL: 'amqps://user:secret@mq.example.com:5671',
      SIGNALS_PREFIX: 'shop:',
      SIGNALS_MAX_ATTEMPTS: '7',
      SIGNALS_RETRY_BASE_DELAY_MS: '104',
      SIGNALS_RETRY_MAX_DELAY_MS: '105',
      SIGNALS_OUTBOX_POLL_INTERVAL_MS: '106',
      SIGNALS_CLAIM_IDLE_MS: '107',
      SIGNALS_RECLAIM_INTERVAL_MS: '108',
      SIGNALS_START_FROM: 'beginning',
      SHUTDOWN_TIMEOUT_MS: '109',
      RECEIVER_TIMEOUT_MS: '110',
      SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
    });
    expect(config).to.deep.include({
      port: 8080,
      host: '0.0.0.0',
      database: { kind: 'sqlite', filename: '/var/lib/shop/app.db' },
      databaseTimeouts: { connectMs: 101, statementMs: 102, busyMs: 103 },
      logLevel: 'debug',
      logFormat: 'pretty',
      nodeEnv: 'production',
      signalsBackend: 'rabbitmq',
      broker: {
        redisUrl: 'rediss://cache.example.com:6380',
        amqpUrl: 'amqps://user:secret@mq.example.com:5671',
        prefix: 'shop:',
        maxAttempts: 7,
        retryBaseDelayMs: 104,
        retryMaxDelayMs: 105,
        outboxPollIntervalMs: 106,
        claimIdleMs: 107,
        reclaimIntervalMs: 108,
        startFrom: 'beginning',
      },
      shutdownTimeoutMs: 109,
      receiverTimeoutMs: 110,
      smtpUrl: 'smtps://mailer:secret@smtp.example.com:465',
    });
  });

  it('when nothing is set, then the timeouts are the documented defaults and no mail server is used', () => {
    const config = loadConfig({});
    expect(config.databaseTimeouts).to.deep.equal({ connectMs: 3000, statementMs: 5000, busyMs: 5000 });
    expect(config).to.deep.include({ shutdownTimeoutMs: 10_000, smtpUrl: undefined });
  });

  it('when DATABASE_URL is sqlite::memory:, then the database lives in memory', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).to.deep.equal({ kind: 'sqlite', filename: ':memory:' });
  });

  // Values each variable accepts, and what it becomes in the config.
  const accepted: [string, string, (config: AppConfig) => unknown, unknown][] = [
    ['PORT', '0', (c) => c.port, 0],
    ['PORT', '65535', (c) => c.port, 65535],
    ['HOST', '::', (c) => c.host, '::'],
    ['DATABASE_URL', 'postgresql://app@db.example.com/shop', (c) => c.database, { kind: 'postgres', url: 'postgresql://app@db.example.com/shop' }],
    ...['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'].map(
      (level): [string, string, (config: AppConfig) => unknown, unknown] => ['LOG_LEVEL', level, (c) => c.logLevel, level],
    ),
    ...['development', 'production', 'test'].map(
      (env): [string, string, (config: AppConfig) => unknown, unknown] => ['NODE_ENV', env, (c) => c.nodeEnv, env],
    ),
    ...['memory', 'redis', 'rabbitmq'].map(
      (name): [string, string, (config: AppConfig) => unknown, unknown] => ['SIGNALS_BACKEND', name, (c) => c.signalsBackend, name],
    ),
    ['REDIS_URL', 'redis://10.0.0.5:6379', (c) => c.broker.redisUrl, 'redis://10.0.0.5:6379'],
    ['REDIS_URL', 'rediss://cache.example.com:6380', (c) => c.broker.redisUrl, 'rediss://cache.example.com:6380'],
    ['AMQP_URL', 'amqp://guest:guest@10.0.0.6:5672', (c) => c.broker.amqpUrl, 'amqp://guest:guest@10.0.0.6:5672'],
    ['AMQP_URL', 'amqps://mq.example.com:5671', (c) => c.broker.amqpUrl, 'amqps://mq.example.com:5671'],
    ['SMTP_URL', 'smtp://127.0.0.1:1025', (c) => c.smtpUrl, 'smtp://127.0.0.1:1025'],
    ['SMTP_URL', 'smtps://smtp.example.com:465', (c) => c.smtpUrl, 'smtps://smtp.example.com:465'],
    ['SIGNALS_PREFIX', 'a', (c) => c.broker.prefix, 'a'],
    ['SIGNALS_PREFIX', 'Shop.Z-9_:', (c) => c.broker.prefix, 'Shop.Z-9_:'],
    ['SIGNALS_PREFIX', 'p'.repeat(64), (c) => c.broker.prefix, 'p'.repeat(64)],
    ['SIGNALS_MAX_ATTEMPTS', '1', (c) => c.broker.maxAttempts, 1],
    ['SIGNALS_MAX_ATTEMPTS', '100', (c) => c.broker.maxAttempts, 100],
    ['SIGNALS_START_FROM', 'end', (c) => c.broker.startFrom, 'end'],
    ['SIGNALS_START_FROM', 'beginning', (c) => c.broker.startFrom, 'beginning'],
    ['RECEIVER_TIMEOUT_MS', '1', (c) => c.receiverTimeoutMs, 1],
    ['LOG_FORMAT', 'json', (c) => c.logFormat, 'json'],
    ['METRICS_PORT', '9464', (c) => c.metricsPort, 9464],
    ['METRICS_PORT', '0', (c) => c.metricsPort, 0],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:4318', (c) => c.tracing.tracesUrl, 'http://127.0.0.1:4318/v1/traces'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'https://otel.example.com/base/', (c) => c.tracing.tracesUrl, 'https://otel.example.com/base/v1/traces'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://127.0.0.1:4318/custom', (c) => c.tracing.tracesUrl, 'http://127.0.0.1:4318/custom'],
    ['OTEL_SERVICE_NAME', 'shop-web', (c) => c.tracing.serviceName, 'shop-web'],
  ];
  for (const [variable, value, read, expected] of accepted) {
    it(`when ${variable}=${value.length > 20 ? `${value.slice(0, 20)}…` : value}, then it is accepted as ${JSON.stringify(expected)}`, () => {
      expect(read(loadConfig({ [variable]: value }))).to.deep.equal(expected);
    });
  }

  const refused: [string, string][] = [
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'sqlite:'],
    ['DATABASE_URL', 'postgres://'],
    ['DATABASE_URL', 'file:sqlite:app.db'],
    ['DATABASE_URL', 'sqlite:app.db\nrm -rf data'],
    ['REDIS_URL', 'xredis://127.0.0.1:6379'],
    ['REDIS_URL', 'redisx://127.0.0.1:6379'],
    ['AMQP_URL', 'http://127.0.0.1:5672'],
    ['AMQP_URL', 'xamqp://127.0.0.1:5672'],
    ['AMQP_URL', 'amqpx://127.0.0.1:5672'],
    ['SMTP_URL', 'http://127.0.0.1:25'],
    ['SMTP_URL', 'xsmtp://127.0.0.1:25'],
    ['SMTP_URL', 'smtpx://127.0.0.1:25'],
    ['SMTP_URL', 'not a url'],
    ['SIGNALS_PREFIX', 'p'.repeat(65)],
    ['SIGNALS_PREFIX', 'shop/'],
    ['SIGNALS_MAX_ATTEMPTS', '101'],
    ['SIGNALS_START_FROM', 'middle'],
    ['DATABASE_BUSY_TIMEOUT_MS', '0'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '1.5'],
    ['RECEIVER_TIMEOUT_MS', '0'],
    ['NODE_ENV', 'staging'],
    ['METRICS_PORT', '65536'],
    ['METRICS_PORT', '-1'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://127.0.0.1:4317'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url'],
  ];
  for (const [variable, value] of refused) {
    it(`when ${variable}=${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}, then it is refused naming ${variable}`, () => {
      expect(() => loadConfig({ [variable]: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(new RegExp(`^Invalid configuration: ${variable}: `));
    });
  }

  it('when no OTLP endpoint is set, then tracing is off; when both are, then the traces endpoint wins', () => {
    expect(loadConfig({}).tracing).to.deep.equal({ tracesUrl: undefined, serviceName: undefined });
    const both = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a.example:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b.example:4318/v1/traces' };
    expect(loadConfig(both).tracing.tracesUrl).to.equal('http://b.example:4318/v1/traces');
  });

  it('when DATABASE_URL is refused, then the line says which forms are accepted', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://localhost/app' })).to.throw(
      ConfigError,
      /^Invalid configuration: DATABASE_URL: expected sqlite:<file>, sqlite::memory: or postgres:\/\/\.\.\.$/,
    );
  });

  it('when SIGNALS_PREFIX is refused, then the line says which characters are accepted', () => {
    expect(() => loadConfig({ SIGNALS_PREFIX: 'has spaces' })).to.throw(
      ConfigError,
      /^Invalid configuration: SIGNALS_PREFIX: expected up to 64 of A-Z a-z 0-9 \. _ : -$/,
    );
  });

  it('when a value is refused, then the error is a ConfigError by name, as a log or stack shows it', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty' });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).to.be.instanceOf(ConfigError);
    expect(String(error)).to.match(/^ConfigError: Invalid configuration: PORT: /);
  });
});

describe('loadEnvFile() without a path', () => {
  const variable = 'EXPRESS_SIGNALS_TEST_FROM_DOT_ENV';
  let folder: string;
  let cwd: string;

  beforeEach(() => {
    cwd = process.cwd();
    folder = mkdtempSync(join(tmpdir(), 'express-signals-env-'));
    process.chdir(folder);
  });

  afterEach(() => {
    process.chdir(cwd);
    rmSync(folder, { recursive: true, force: true });
    delete process.env[variable];
  });

  it('when the working directory has a .env, then that file is read', () => {
    writeFileSync(join(folder, '.env'), `${variable}=from-dot-env\n`);
    expect(loadEnvFile()).to.equal(true);
    expect(process.env[variable]).to.equal('from-dot-env');
  });
});

describe('createSignalBackend()', () => {
  const logger = createLogger({ transports: [new MemoryTransport()] });

  it('when SIGNALS_BACKEND is memory, then it builds an in-process backend', () => {
    expect(createSignalBackend(loadConfig({ RECEIVER_TIMEOUT_MS: '500' }), logger)).to.be.instanceOf(InProcessBackend);
  });

  const brokers = [
    ['redis', RedisStreamsBackend],
    ['rabbitmq', RabbitMQBackend],
  ] as const;
  for (const [name, Backend] of brokers) {
    it(`when SIGNALS_BACKEND is ${name}, then it builds a ${Backend.name} that connects nothing yet`, async () => {
      const backend = createSignalBackend(loadConfig({ SIGNALS_BACKEND: name }), logger);
      expect(backend).to.be.instanceOf(Backend);
      await backend.close();
    });
  }
});

describe('createWorkerBackend()', () => {
  const logger = createLogger({ transports: [new MemoryTransport()] });

  it('when SIGNALS_BACKEND is memory, then it refuses with one line naming SIGNALS_BACKEND', () => {
    expect(() => createWorkerBackend(loadConfig({}), logger))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/^Invalid configuration: SIGNALS_BACKEND: a worker needs [^\n]+$/);
  });

  it('when SIGNALS_BACKEND is redis, then it builds a RedisStreamsBackend', async () => {
    const config = loadConfig({ SIGNALS_BACKEND: 'redis', SIGNALS_PREFIX: 'shop:' });
    const backend = createWorkerBackend(config, logger);
    expect(backend).to.be.instanceOf(RedisStreamsBackend);
    await backend.close();
  });
});

describe('loadConfig(): the signals dashboard', () => {
  const TOKEN = 'sixteen-chars-at-least';

  it('when nothing is set outside production, then it is on without a token', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).dashboard).to.deep.equal({ mode: 'on', token: undefined });
    expect(loadConfig({ NODE_ENV: 'test' }).dashboard.mode).to.equal('on');
  });

  it('when nothing is set in production, then it is off; with a token, it is on and needs it', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).dashboard).to.deep.equal({ mode: 'off', token: undefined });
    expect(loadConfig({ NODE_ENV: 'production', SIGNALS_DASHBOARD_TOKEN: TOKEN }).dashboard).to.deep.equal({ mode: 'on', token: TOKEN });
    expect(loadConfig({ NODE_ENV: 'production', SIGNALS_DASHBOARD: 'read-only', SIGNALS_DASHBOARD_TOKEN: TOKEN }).dashboard.mode).to.equal('read-only');
  });

  it('when production asks for the dashboard without a token, then it throws one line saying a token is needed', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SIGNALS_DASHBOARD: 'on' })).to.throw(
      ConfigError,
      'Invalid configuration: SIGNALS_DASHBOARD: in production the dashboard needs SIGNALS_DASHBOARD_TOKEN',
    );
  });

  it('when the token is shorter than 16 characters, then it is refused naming SIGNALS_DASHBOARD_TOKEN', () => {
    expect(() => loadConfig({ SIGNALS_DASHBOARD_TOKEN: 'short' })).to.throw(ConfigError, 'SIGNALS_DASHBOARD_TOKEN: expected at least 16 characters');
  });

  it('when the dashboard can act with no token on an address other hosts reach, then there is a startup warning', () => {
    expect(dashboardExposureWarning(loadConfig({ HOST: '0.0.0.0' }))).to.contain('with no token, on 0.0.0.0: set SIGNALS_DASHBOARD_TOKEN');
    expect(dashboardExposureWarning(loadConfig({ HOST: '127.0.0.1' }))).to.equal(undefined);
    expect(dashboardExposureWarning(loadConfig({ HOST: '::1' }))).to.equal(undefined);
    expect(dashboardExposureWarning(loadConfig({ HOST: '0.0.0.0', SIGNALS_DASHBOARD: 'read-only' }))).to.equal(undefined);
    expect(dashboardExposureWarning(loadConfig({ HOST: '0.0.0.0', SIGNALS_DASHBOARD_TOKEN: TOKEN }))).to.equal(undefined);
  });
});
