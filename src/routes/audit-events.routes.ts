import { Router } from 'express';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { z } from 'zod';
import { id, validate } from '../middleware/validate.js';
import type { AuditService } from '../services/audit.service.js';

const auditQuery = z.strictObject({
  entity: z.enum(['user', 'order']).optional(),
  entityId: id.optional(),
});

export function auditEventsRouter(audit: AuditService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await audit.list(validate(auditQuery, req.query, 'query')));
  });
  return answerOtherMethods(router);
}
