import { Router } from 'express';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import type { SignalMetrics } from '../metrics.js';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { errorResponses } from './openapi-parts.js';

/**
 * `GET /metrics`: the process's metrics in the Prometheus text format. Mounted by `createApp`,
 * and alone on `METRICS_PORT` by the worker.
 */
export function metricsRouter(metrics: Pick<SignalMetrics, 'render' | 'contentType'>): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const text = await metrics.render();
    res.set('Content-Type', metrics.contentType).send(text);
  });
  return answerOtherMethods(router);
}

/** The operation of {@link metricsRouter}. */
export const metricsPaths: ZodOpenApiPathsObject = {
  '/metrics': {
    get: {
      tags: ['operations'],
      summary: 'Signal and process metrics for Prometheus (docs/operations.md lists them)',
      operationId: 'metrics',
      responses: {
        200: {
          description: 'The metrics, in the Prometheus text format 0.0.4',
          content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: z.string() } },
        },
        ...errorResponses(),
      },
    },
  },
};
