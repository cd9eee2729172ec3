import { expect } from 'chai';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSignalBackend } from '../src/signal-backend.js';
import { InProcessBackend } from '../src/signals/index.js';
import { MemoryTransport } from './support/memory-transport.js';

describe('loadConfig()', () => {
  it('when nothing is set, then it serves on loopback port 3000 with a SQLite file under data/', () => {
    const config = loadConfig({});
    expect(config).to.deep.include({ port: 3000, host: '127.0.0.1', nodeEnv: 'development', signalsBackend: 'memory' });
    expect(config.database).to.deep.equal({ kind: 'sqlite', filename: 'data/app.db' });
    expect(config.receiverTimeoutMs).to.equal(undefined);
  });

  it('when DATABASE_URL is a postgres URL, then it selects PostgreSQL', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/app';
    expect(loadConfig({ DATABASE_URL: url }).database).to.deep.equal({ kind: 'postgres', url });
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

  for (const name of ['redis', 'rabbitmq']) {
    it(`when SIGNALS_BACKEND is ${name}, then it says that it is not available yet`, () => {
      expect(() => createSignalBackend(loadConfig({ SIGNALS_BACKEND: name }), logger)).to.throw(
        ConfigError,
        /SIGNALS_BACKEND: .* not available yet/,
      );
    });
  }
});
