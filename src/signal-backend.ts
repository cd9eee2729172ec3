import { randomUUID } from 'node:crypto';
import { ConfigError, type AppConfig } from './config.js';
import type { Logger } from './logger.js';
import { getRequestId, runWithRequestContext } from './middleware/request-context.js';
import {
  RabbitMQBackend,
  RedisStreamsBackend,
  type BrokerBackend,
  type BrokerBackendOptions,
  type RunInContext,
} from './signals/brokers/index.js';
import { InProcessBackend, type BaseSignalBackend } from './signals/index.js';

/**
 * The signal backend `SIGNALS_BACKEND` names, for the web process. A broker backend built
 * here only sends: its receivers are registered but run in workers ({@link createWorkerBackend}).
 */
export function createSignalBackend(config: AppConfig, logger: Logger): BaseSignalBackend {
  if (config.signalsBackend === 'memory') {
    return new InProcessBackend({ logger, receiverTimeoutMs: config.receiverTimeoutMs });
  }
  return createBrokerBackend(config, logger, false);
}

/**
 * The consuming broker backend of a worker process.
 *
 * @throws ConfigError with `SIGNALS_BACKEND=memory`: there is no broker to consume from, the
 *   receivers run in the web process.
 */
export function createWorkerBackend(config: AppConfig, logger: Logger): BrokerBackend {
  if (config.signalsBackend === 'memory') {
    throw new ConfigError(
      "Invalid configuration: SIGNALS_BACKEND: a worker needs 'redis' or 'rabbitmq'; with 'memory' the receivers run in the web process",
    );
  }
  return createBrokerBackend(config, logger, true);
}

function createBrokerBackend(config: AppConfig, logger: Logger, consume: boolean): BrokerBackend {
  const { broker } = config;
  const options: BrokerBackendOptions = {
    consume,
    logger,
    prefix: broker.prefix,
    maxAttempts: broker.maxAttempts,
    retryBaseDelayMs: broker.retryBaseDelayMs,
    retryMaxDelayMs: broker.retryMaxDelayMs,
    getContext: () => ({ requestId: getRequestId() }),
    runInContext,
  };
  if (config.signalsBackend === 'redis') return new RedisStreamsBackend({ url: broker.redisUrl, ...options });
  return new RabbitMQBackend({ url: broker.amqpUrl, ...options });
}

// A message sent outside any request still gets an id, so the worker's lines of one message can be joined.
const runInContext: RunInContext = (context, fn) =>
  runWithRequestContext({ requestId: context.requestId ?? randomUUID() }, fn);
