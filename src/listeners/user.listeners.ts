import type { AuditService } from '../services/audit.service.js';
import type { Mailer } from '../services/mailer.js';
import { ReadCache } from '../services/read-cache.js';
import { userCreated, userDeleted, userUpdated } from '../services/user.signals.js';
import type { ConnectionScope } from '../signals/index.js';

export interface UserListenerDeps {
  readonly mailer: Mailer;
  /** Absent when this process serves no cached reads (a broker backend): nothing is invalidated. */
  readonly cache?: ReadCache;
  readonly audit: Pick<AuditService, 'record'>;
}

/** Connects the receivers of the user signals; returns their scopes, to dispose. */
export function registerUserListeners({ mailer, cache, audit }: UserListenerDeps): ConnectionScope[] {
  // Connected first: the next read must not see the old row, whatever fails after.
  const invalidations = cache === undefined ? [] : connectUserInvalidations(cache);
  return [
    ...invalidations,
    userCreated.connectedTo(async function sendWelcomeEmail({ email, name }) {
      await mailer.send({ to: email, subject: `Welcome, ${name}`, text: `Hello ${name}, your account is ready.` });
    }),
    userCreated.connectedTo(async function auditUserCreated({ id, email, name }) {
      await audit.record(userCreated.name, 'user', id, { email, name });
    }),
    userUpdated.connectedTo(async function auditUserUpdated({ id, changes }) {
      await audit.record(userUpdated.name, 'user', id, { changes });
    }),
    userDeleted.connectedTo(async function auditUserDeleted({ id }) {
      await audit.record(userDeleted.name, 'user', id, {});
    }),
  ];
}

function connectUserInvalidations(cache: ReadCache): ConnectionScope[] {
  const invalidateUserCache = ({ id }: { id: number }): void => void cache.delete(ReadCache.key('user', id));
  return [userUpdated.connectedTo(invalidateUserCache), userDeleted.connectedTo(invalidateUserCache)];
}
