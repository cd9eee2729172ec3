import express, { type Express } from 'express';
import helmet from 'helmet';
import type { DashboardSettings } from './app.js';
import type { Logger } from './logger.js';
import { signalsDashboardRouter } from './routes/signals-dashboard.routes.js';
import type { SignalMetrics } from './metrics.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { metricsRouter } from './routes/metrics.routes.js';

/**
 * The worker's HTTP app on `METRICS_PORT`: `GET /metrics` and, with `dashboard`, the signals
 * dashboard at `/signals` with the figures of this worker's receivers; any other path is a 404
 * in the app's error shape. Like `createApp`, it never listens: `worker.ts` does.
 */
export function createMetricsApp(metrics: SignalMetrics, logger: Logger, dashboard?: DashboardSettings): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  app.use(metricsRouter(metrics));
  if (dashboard !== undefined) app.use('/signals', signalsDashboardRouter(dashboard, logger));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
