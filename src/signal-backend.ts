import { randomUUID } from 'node:crypto';
import { ConfigError, type AppConfig } from './config.js';
import type { Logger } from './logger.js';
import type { OutboxStore } from './signals/outbox/index.js';
import { getRequestId, runWithRequestContext } from './middleware/request-context.js';
import {
  RabbitMQBackend,
  RedisStreamsBackend,
  type BrokerBackend,
  type BrokerBackendOptions,
  type RunInContext,
} from './signals/brokers/index.js';
import { InProcessBackend, type BackendObservers, type BaseSignalBackend } from './signals/index.js';

/**
 * The signal backend `SIGNALS_BACKEND` names, for the web process. A broker backend built
 * here only sends: its receivers are registered but run in workers ({@link createWorkerBackend}).
 * With `outbox`, a broker backend writes the signals sent inside a transaction to it, and
 * relays them to the broker after the commit. `observers` are told of every send and every
 * receiver's run.
 */
export function createSignalBackend(
  config: AppConfig,
  logger: Logger,
  outbox?: OutboxStore,
  observers: BackendObservers = {},
): BaseSignalBackend {
  if (config.signalsBackend === 'memory') {
    return new InProcessBackend({ logger, receiverTimeoutMs: config.receiverTimeoutMs, ...observers });
  }
  return createBrokerBackend(config, logger, false, outbox, observers);
}

/**
 * The consuming broker backend of a worker process.
 *
 * @throws ConfigError with `SIGNALS_BACKEND=memory`: there is no broker to consume from, the
 *   receivers run in the web process.
 */
export function createWorkerBackend(
  config: AppConfig,
  logger: Logger,
  outbox?: OutboxStore,
  observers: BackendObservers = {},
): BrokerBackend {
  if (config.signalsBackend === 'memory') {
    throw new ConfigError(
      "Invalid configuration: SIGNALS_BACKEND: a worker needs 'redis' or 'rabbitmq'; with 'memory' the receivers run in the web process",
    );
  }
  return createBrokerBackend(config, logger, true, outbox, observers);
}

function createBrokerBackend(
  config: AppConfig,
  logger: Logger,
  consume: boolean,
  outbox: OutboxStore | undefined,
  observers: BackendObservers,
): BrokerBackend {
  const { broker } = config;
  const options: BrokerBackendOptions = {
    ...observers,
    consume,
    logger,
    prefix: broker.prefix,
    maxAttempts: broker.maxAttempts,
    retryBaseDelayMs: broker.retryBaseDelayMs,
    retryMaxDelayMs: broker.retryMaxDelayMs,
    getContext: () => ({ requestId: getRequestId() }),
    runInContext,
    outbox: outbox === undefined ? undefined : { store: outbox, pollIntervalMs: broker.outboxPollIntervalMs },
  };
  if (config.signalsBackend === 'redis') {
    const { claimIdleMs, reclaimIntervalMs, startFrom } = broker;
    return new RedisStreamsBackend({ url: broker.redisUrl, claimIdleMs, reclaimIntervalMs, startFrom, ...options });
  }
  return new RabbitMQBackend({ url: broker.amqpUrl, ...options });
}

/**
 * The backend, broker address and name prefix, for both processes' startup lines, so that a
 * web process and a worker that disagree (another prefix, another broker) show it at once:
 * `redis at 127.0.0.1:6379, prefix signals:`.
 */
export function describeSignalBackend(config: AppConfig): string {
  if (config.signalsBackend === 'memory') return 'memory (receivers run in this process)';
  const url = new URL(config.signalsBackend === 'redis' ? config.broker.redisUrl : config.broker.amqpUrl);
  const prefix = config.broker.prefix ?? (config.signalsBackend === 'redis' ? 'signals:' : '');
  return `${config.signalsBackend} at ${url.host}, prefix ${prefix === '' ? '(none)' : prefix}`;
}

// A message sent outside any request still gets an id, so the worker's lines of one message can be joined.
const runInContext: RunInContext = (context, fn) =>
  runWithRequestContext({ requestId: context.requestId ?? randomUUID() }, fn);
