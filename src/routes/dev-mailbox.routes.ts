import { Router } from 'express';
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import type { DevMailbox } from '../services/mailer.js';
import { errorResponses, jsonResponse, timestamp } from './openapi-parts.js';

const sentMail = z
  .strictObject({ from: z.string(), to: z.string(), subject: z.string(), text: z.string(), sentAt: timestamp })
  .meta({ id: 'SentMail' });

/** `GET /dev/mailbox`: the mail the app sent, newest last. Mounted only outside production. */
export function devMailboxRouter(mailbox: DevMailbox): Router {
  const router = Router();
  router.get('/mailbox', (_req, res) => {
    res.json(mailbox.list());
  });
  return answerOtherMethods(router);
}

/** The operation of {@link devMailboxRouter}, mounted at `/dev`; documented only where it is mounted. */
export const devMailboxPaths: ZodOpenApiPathsObject = {
  '/dev/mailbox': {
    get: {
      tags: ['development'],
      summary: 'The last 100 mails the app sent, newest last (outside production, on the memory backend only)',
      operationId: 'listSentMail',
      responses: { 200: jsonResponse('The mails', z.array(sentMail)), ...errorResponses() },
    },
  },
};
