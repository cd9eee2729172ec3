import { ConfigError, type AppConfig } from './config.js';
import type { Logger } from './logger.js';
import { InProcessBackend, type BaseSignalBackend } from './signals/index.js';

/**
 * The signal backend `SIGNALS_BACKEND` names. The broker backends plug in here, one case
 * each, so that the server and a worker build them the same way.
 *
 * @throws ConfigError for a backend this build does not have.
 */
export function createSignalBackend(config: AppConfig, logger: Logger): BaseSignalBackend {
  switch (config.signalsBackend) {
    case 'memory':
      return new InProcessBackend({ logger, receiverTimeoutMs: config.receiverTimeoutMs });
    case 'redis':
    case 'rabbitmq':
      throw new ConfigError(
        `Invalid configuration: SIGNALS_BACKEND: '${config.signalsBackend}' is not available yet; use 'memory'`,
      );
  }
}
