import express, { type Express } from 'express';
import helmet from 'helmet';
import { registerListeners, type ListenerDeps } from './listeners/index.js';
import type { Logger } from './logger.js';
import type { SignalMetrics } from './metrics.js';
import { accessLog } from './middleware/access-log.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { jsonBody } from './middleware/json-body.js';
import { requestContext } from './middleware/request-context.js';
import { traceRequests } from './middleware/trace-requests.js';
import { buildOpenApiDocument } from './openapi.js';
import { auditEventsRouter } from './routes/audit-events.routes.js';
import { devMailboxRouter } from './routes/dev-mailbox.routes.js';
import { devResetRouter } from './routes/dev-reset.routes.js';
import { healthRouter } from './routes/health.routes.js';
import { metricsRouter } from './routes/metrics.routes.js';
import { openApiRouter } from './routes/openapi.routes.js';
import { ordersRouter } from './routes/orders.routes.js';
import { productsRouter } from './routes/products.routes.js';
import { usersRouter } from './routes/users.routes.js';
import type { AuditService } from './services/audit.service.js';
import type { DevResetService } from './services/dev-reset.service.js';
import type { DevMailbox } from './services/mailer.js';
import type { OrderService } from './services/order.service.js';
import type { ProductService } from './services/product.service.js';
import type { UserService } from './services/user.service.js';
import { signalsDashboardRouter } from './routes/signals-dashboard.routes.js';
import type { SignalStats } from './signals/dashboard/index.js';

export interface AppDeps extends ListenerDeps {
  readonly logger: Logger;
  readonly users: UserService;
  readonly orders: OrderService;
  readonly products: ProductService;
  readonly audit: AuditService;
  /** Listed at `GET /dev/mailbox` when given; the container leaves it out in production. */
  readonly mailbox?: DevMailbox;
  /** Serves `POST /dev/reset` when given; the container gives it where it gives the mailbox. */
  readonly devReset?: DevResetService;
  /** For `GET /ready`: true when the database answers. */
  readonly isReady: () => Promise<boolean>;
  /** Served at `GET /metrics`. */
  readonly metrics: SignalMetrics;
  /** Served at `/signals` when given; the container leaves it out when `SIGNALS_DASHBOARD` is off. */
  readonly dashboard?: DashboardSettings;
}

/** How the app serves the signals dashboard: its live figures, token and mode. */
export interface DashboardSettings {
  readonly stats: SignalStats;
  readonly token: string | undefined;
  readonly readOnly: boolean;
  /** The header line: `redis at 127.0.0.1:6379, prefix signals:`. */
  readonly description: string;
}

/** The Express app, plus the disposer of the listeners it connected. */
export type App = Express & { readonly disposeListeners: () => void };

const JSON_BODY_LIMIT = '100kb';

/**
 * Builds the HTTP app and connects the listeners (once, here) on the current signal backend.
 * Does no I/O and never listens: `server.ts` owns the process, tests hand the app to supertest.
 */
export function createApp(deps: AppDeps): App {
  const app = express();
  app.disable('x-powered-by');
  app.use(traceRequests);
  app.use(helmet());
  app.use(requestContext);
  app.use(accessLog(deps.logger));
  // Before the JSON body parser: the dashboard parses its own bodies, after checking its token.
  if (deps.dashboard !== undefined) app.use('/signals', signalsDashboardRouter(deps.dashboard, deps.logger));
  app.use(jsonBody(JSON_BODY_LIMIT));
  app.use(healthRouter(deps.isReady));
  app.use(metricsRouter(deps.metrics));
  app.use('/users', usersRouter(deps.users));
  app.use('/orders', ordersRouter(deps.orders));
  app.use('/products', productsRouter(deps.products));
  app.use('/audit-events', auditEventsRouter(deps.audit));
  if (deps.mailbox !== undefined) app.use('/dev', devMailboxRouter(deps.mailbox));
  if (deps.devReset !== undefined) app.use('/dev', devResetRouter(deps.devReset));
  app.use(openApiRouter(buildOpenApiDocument({ devMailbox: deps.mailbox !== undefined, dashboard: deps.dashboard !== undefined })));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return Object.assign(app, { disposeListeners: registerListeners(deps) });
}
