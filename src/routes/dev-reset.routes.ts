import { Router } from 'express';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import type { DevResetService } from '../services/dev-reset.service.js';
import { errorResponses } from './openapi-parts.js';

/** `POST /dev/reset`: back to the data of a fresh start. Mounted only where `/dev/mailbox` is. */
export function devResetRouter(devReset: DevResetService): Router {
  const router = Router();
  router.post('/reset', async (_req, res) => {
    await devReset.reset();
    res.status(204).end();
  });
  return answerOtherMethods(router);
}

/** The operation of {@link devResetRouter}, mounted at `/dev`; documented only where it is mounted. */
export const devResetPaths: ZodOpenApiPathsObject = {
  '/dev/reset': {
    post: {
      tags: ['development'],
      summary:
        'Empty every table, seed the products again (ids start from 1 again) and empty the mailbox and the read cache (outside production, on the memory backend only)',
      operationId: 'resetDevelopmentData',
      responses: { 204: { description: 'Reset' }, ...errorResponses(503) },
    },
  },
};
