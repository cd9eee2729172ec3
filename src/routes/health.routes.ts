import { Router } from 'express';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';

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
