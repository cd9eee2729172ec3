import { Router } from 'express';
import { z } from 'zod';
import { validate } from '../middleware/validate.js';
import type { AuditService } from '../services/audit.service.js';

const auditQuery = z.strictObject({
  entity: z.enum(['user', 'order']).optional(),
  entityId: z.coerce.number().int().positive().optional(),
});

export function auditEventsRouter(audit: AuditService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await audit.list(validate(auditQuery, req.query, 'query')));
  });
  return router;
}
