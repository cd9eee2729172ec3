import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config.js';
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
