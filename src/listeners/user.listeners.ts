import type { AuditService } from '../services/audit.service.js';
import { idempotencyKey, type HandledMessageService } from '../services/handled-message.service.js';
import type { Mailer } from '../services/mailer.js';
import { ReadCache } from '../services/read-cache.js';
import { userCreated, userDeleted, userPasswordChanged, userUpdated } from '../services/user.signals.js';
import type { ConnectionScope } from '../signals/index.js';

export interface UserListenerDeps {
  readonly mailer: Mailer;
  /** Absent when this process serves no cached reads (a broker backend): nothing is invalidated. */
  readonly cache?: ReadCache;
  readonly audit: Pick<AuditService, 'record'>;
  /** Skips mail a redelivered message already sent. */
  readonly handled: Pick<HandledMessageService, 'atLeastOnce'>;
}

/**
 * Connects the receivers of the user signals; returns their scopes, to dispose. Every receiver
 * with a side effect passes its name and the message id down (`once`), so that a broker's
 * redelivery of the same message does not apply the effect twice.
 */
export function registerUserListeners({ mailer, cache, audit, handled }: UserListenerDeps): ConnectionScope[] {
  // Connected first: the next read must not see the old row, whatever fails after.
  const invalidations = cache === undefined ? [] : connectUserInvalidations(cache);
  return [
    ...invalidations,
    userCreated.connectedTo(async function sendWelcomeEmail({ email, name }, context) {
      // Mail cannot share the database transaction: it is marked after the send, so a crash in
      // between mails twice on redelivery; never zero times.
      const text = `Hello ${name}, your account is ready.`;
      await handled.atLeastOnce(idempotencyKey(sendWelcomeEmail.name, context), () =>
        mailer.send({ to: email, subject: `Welcome, ${name}`, text }),
      );
    }),
    userCreated.connectedTo(async function auditUserCreated({ id, email, name }, context) {
      await audit.record(userCreated.name, 'user', id, { email, name }, { once: idempotencyKey(auditUserCreated.name, context) });
    }),
    userUpdated.connectedTo(async function auditUserUpdated({ id, changes }, context) {
      await audit.record(userUpdated.name, 'user', id, { changes }, { once: idempotencyKey(auditUserUpdated.name, context) });
    }),
    userDeleted.connectedTo(async function auditUserDeleted({ id }, context) {
      await audit.record(userDeleted.name, 'user', id, {}, { once: idempotencyKey(auditUserDeleted.name, context) });
    }),
    // #region guide:password-changed-listeners
    userPasswordChanged.connectedTo(async function sendPasswordChangedEmail({ email }, context) {
      const text = 'Your password was just changed. If you did not change it, contact us at once.';
      await handled.atLeastOnce(idempotencyKey(sendPasswordChangedEmail.name, context), () =>
        mailer.send({ to: email, subject: 'Your password was changed', text }),
      );
    }),
    userPasswordChanged.connectedTo(async function auditPasswordChanged({ id }, context) {
      await audit.record(userPasswordChanged.name, 'user', id, {}, { once: idempotencyKey(auditPasswordChanged.name, context) });
    }),
    // #endregion
  ];
}

function connectUserInvalidations(cache: ReadCache): ConnectionScope[] {
  const invalidateUserCache = ({ id }: { id: number }): void => void cache.delete(ReadCache.key('user', id));
  return [
    userUpdated.connectedTo(invalidateUserCache),
    userPasswordChanged.connectedTo(invalidateUserCache),
    userDeleted.connectedTo(invalidateUserCache),
  ];
}
