import { Router } from 'express';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import { z } from 'zod';
import { id, validate } from '../middleware/validate.js';
import type { AuditService } from '../services/audit.service.js';
import { errorResponses, jsonResponse, storedId, timestamp } from './openapi-parts.js';

const entity = z.enum(['user', 'order']);

const auditQuery = z.strictObject({
  entity: entity.optional(),
  entityId: id.optional(),
});

const auditEvent = z
  .strictObject({
    signal: z.string().meta({ example: 'order.placed' }),
    entity,
    entityId: storedId,
    data: z.unknown().meta({ description: 'What the signal carried that the audit keeps' }),
    createdAt: timestamp,
  })
  .meta({ id: 'AuditEvent' });

export function auditEventsRouter(audit: AuditService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json(await audit.list(validate(auditQuery, req.query, 'query')));
  });
  return answerOtherMethods(router);
}

/** The operations of {@link auditEventsRouter}, mounted at `/audit-events`, with the schema it validates with. */
export const auditEventsPaths: ZodOpenApiPathsObject = {
  '/audit-events': {
    get: {
      tags: ['audit'],
      summary: 'List the audit trail the listeners wrote, oldest first',
      operationId: 'listAuditEvents',
      requestParams: { query: auditQuery },
      responses: { 200: jsonResponse('The matching audit events', z.array(auditEvent)), ...errorResponses(400, 503) },
    },
  },
};
