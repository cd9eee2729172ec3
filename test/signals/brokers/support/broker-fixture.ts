import type { BrokerBackend } from '../../../../src/signals/brokers/index.js';
import { Signal } from '../../../../src/signals/index.js';
import { createTestBackend, type TestBroker } from './brokers.js';
import { ConsumerProcess } from './consumer-process.js';
import { requireServer } from './services.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';
import { uniquePrefix } from './waiting.js';

export interface Payload {
  n: number;
}

export const SIGNAL = 'user.created';
export const RECEIVERS = ['sendWelcomeEmail', 'recordAudit'];

/** What each broker test gets: fresh names, and everything it starts stopped and removed afterwards. */
export interface BrokerFixture {
  readonly prefix: string;
  readonly signal: Signal<Payload>;
  backend(options?: Parameters<typeof createTestBackend>[2]): BrokerBackend;
  consumerProcess(mode: 'hang' | 'record', receivers: string[], maxAttempts?: number): ConsumerProcess;
  proxy(): Promise<TcpProxy>;
}

/**
 * Registers the mocha hooks of a broker suite: skip (or fail under REQUIRE_SERVICES=1) when the
 * server is down; a unique prefix per test; child processes, backends and proxies stopped and
 * every stream, key, queue and exchange removed after each test, even when a test fails.
 */
export function useBrokerFixture(broker: TestBroker): BrokerFixture {
  let prefix = '';
  let signal = new Signal<Payload>(SIGNAL);
  let backends: BrokerBackend[] = [];
  let processes: ConsumerProcess[] = [];
  let proxies: TcpProxy[] = [];

  before(requireServer(broker.name, broker.url));
  beforeEach(() => {
    prefix = uniquePrefix(broker.separator);
    signal = new Signal<Payload>(SIGNAL);
    [backends, processes, proxies] = [[], [], []];
  });
  afterEach(async () => {
    try {
      await Promise.all(processes.map((child) => child.stop()));
      await Promise.all(backends.map((backend) => backend.close()));
      await Promise.all(proxies.map((proxy) => proxy.down()));
    } finally {
      await broker.cleanup(prefix, SIGNAL, RECEIVERS);
    }
  });

  return {
    get prefix() {
      return prefix;
    },
    get signal() {
      return signal;
    },
    backend(options = {}) {
      const created = createTestBackend(broker.name, prefix, options);
      backends.push(created);
      return created;
    },
    consumerProcess(mode, receivers, maxAttempts) {
      const child = new ConsumerProcess({ broker: broker.name, prefix, signal: SIGNAL, receivers, mode, maxAttempts });
      processes.push(child);
      return child;
    },
    async proxy() {
      const proxy = new TcpProxy(broker.url);
      proxies.push(proxy);
      await proxy.up();
      return proxy;
    },
  };
}
