import { Router } from 'express';
import { answerOtherMethods } from '../middleware/method-not-allowed.js';
import type { DevMailbox } from '../services/mailer.js';

/** `GET /dev/mailbox`: the mail the app sent, newest last. Mounted only outside production. */
export function devMailboxRouter(mailbox: DevMailbox): Router {
  const router = Router();
  router.get('/mailbox', (_req, res) => {
    res.json(mailbox.list());
  });
  return answerOtherMethods(router);
}
