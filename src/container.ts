import type { AppDeps, DashboardSettings } from './app.js';
import type { AppConfig } from './config.js';
import { connectDatabase, isDatabaseReady, type DatabaseConnection, type PostgresOptions } from './db/connection.js';
import { createLogger, type Logger } from './logger.js';
import { SignalMetrics } from './metrics.js';
import { AuditRepository } from './repositories/audit.repository.js';
import { HandledMessageRepository } from './repositories/handled-message.repository.js';
import { OrderRepository } from './repositories/order.repository.js';
import { ProductRepository } from './repositories/product.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { AuditService } from './services/audit.service.js';
import { DevResetService } from './services/dev-reset.service.js';
import { HandledMessageService } from './services/handled-message.service.js';
import { createSmtpTransport, DevMailbox, NodemailerMailer } from './services/mailer.js';
import { OrderService } from './services/order.service.js';
import { ProductService } from './services/product.service.js';
import { ReadCache } from './services/read-cache.js';
import { UserService } from './services/user.service.js';
import { describeSignalBackend } from './signal-backend.js';
import { SignalStats } from './signals/dashboard/index.js';
import { combineObservers, type BackendObservers } from './signals/index.js';
import { KyselyOutboxStore, type OutboxStore } from './signals/outbox/index.js';

/** Everything the web process and the worker need, built from the config. */
export interface Container extends AppDeps {
  readonly config: AppConfig;
  readonly connection: DatabaseConnection;
  /** The broker backends' transactional outbox, in this database. */
  readonly outbox: OutboxStore;
  /** What the signal backend is given to observe sends and runs: the metrics and the dashboard's stats. */
  readonly observers: BackendObservers;
  /** Closes the database. Does not touch the signal backend, which the process owns. */
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Defaults to a console logger at `config.logLevel`. */
  readonly logger?: Logger;
  readonly postgres?: PostgresOptions;
}

/**
 * Connects the database (no query is run yet; migrate before serving) and builds the
 * services, the mailer and, on the memory backend, the read cache and (outside production) the
 * dev mailbox and reset.
 */
export function buildContainer(config: AppConfig, options: ContainerOptions = {}): Container {
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const connection = connectDatabase(config.database, { ...options.postgres, logger, timeouts: config.databaseTimeouts });
  const { db } = connection;
  // With a broker backend the listeners run in a worker: the invalidations would never reach
  // a cache in this process, which would then serve stale reads; and the mail a worker sends
  // could never be listed by this process. So both exist only on the memory backend.
  const inProcess = config.signalsBackend === 'memory';
  const cache = inProcess ? new ReadCache() : undefined;
  const products = new ProductRepository(db);
  const handled = new HandledMessageService({ db, handled: new HandledMessageRepository(db) });
  const mailbox = config.nodeEnv === 'production' || !inProcess ? undefined : new DevMailbox();
  const metrics = new SignalMetrics({ system: config.signalsBackend, logger });
  const signalStats = new SignalStats();
  const transport = config.smtpUrl === undefined ? undefined : createSmtpTransport(config.smtpUrl);
  return {
    config,
    connection,
    outbox: new KyselyOutboxStore({ db, dialect: connection.dialect }),
    logger,
    cache,
    mailbox,
    devReset: mailbox === undefined ? undefined : new DevResetService({ connection, mailbox, cache }),
    mailer: new NodemailerMailer({ transport, mailbox, logger }),
    users: new UserService({ db, repository: new UserRepository(db), cache }),
    orders: new OrderService({ db, repository: new OrderRepository(db), products, cache }),
    products: new ProductService({ products }),
    audit: new AuditService({ audit: new AuditRepository(db), handled }),
    handled,
    isReady: () => isDatabaseReady(db),
    metrics,
    observers: combineObservers(metrics.observers, signalStats),
    dashboard: dashboardSettings(config, signalStats),
    close: () => db.destroy(),
  };
}

/** The dashboard as `SIGNALS_DASHBOARD` and its token say; `undefined` when it is off. */
function dashboardSettings(config: AppConfig, stats: SignalStats): DashboardSettings | undefined {
  const { mode, token } = config.dashboard;
  if (mode === 'off') return undefined;
  return { stats, token, readOnly: mode === 'read-only', description: describeSignalBackend(config) };
}
