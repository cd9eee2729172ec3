import { Router } from 'express';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { errorResponses, jsonResponse } from './openapi-parts.js';

/** `/health`: the process answers. `/ready`: it can serve, i.e. the database answers. */
export function healthRouter(isReady: () => Promise<boolean>): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const ready = await isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  return answerOtherMethods(router);
}

/** The operations of {@link healthRouter}. */
export const healthPaths: ZodOpenApiPathsObject = {
  '/health': {
    get: {
      tags: ['health'],
      summary: 'Whether the process answers',
      operationId: 'health',
      responses: { 200: jsonResponse('It does', z.strictObject({ status: z.literal('ok') })), ...errorResponses() },
    },
  },
  '/ready': {
    get: {
      tags: ['health'],
      summary: 'Whether the app can serve: the database answers within 1 s',
      operationId: 'ready',
      responses: {
        200: jsonResponse('It can', z.strictObject({ status: z.literal('ready') })),
        503: jsonResponse('The database does not answer', z.strictObject({ status: z.literal('unavailable') })),
        ...errorResponses(),
      },
    },
  },
};
