import express, { type Express } from 'express';
import type { Logger } from './logger.js';
import type { SignalMetrics } from './metrics.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { metricsRouter } from './routes/metrics.routes.js';

/**
 * The worker's HTTP app on `METRICS_PORT`: `GET /metrics` and nothing else (any other path is a
 * 404 in the app's error shape). Like `createApp`, it never listens: `worker.ts` does.
 */
export function createMetricsApp(metrics: SignalMetrics, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRouter(metrics));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
