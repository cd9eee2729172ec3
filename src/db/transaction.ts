import { randomBytes } from 'node:crypto';
import { ControlledTransaction } from 'kysely';
import { SignalTransaction } from '../signals/index.js';
import type { Db } from './connection.js';
import type { Database } from './schema.js';

type Handle = ControlledTransaction<Database, string[]>;

/**
 * Runs `work` in a database transaction to which the signals are bound: a signal sent inside
 * takes effect only when the outermost transaction commits (receivers run, or its outbox row
 * is published, after the commit), and not at all when it rolls back.
 *
 * Called while a transaction is open (from a service method used by another), it runs in a
 * savepoint of that transaction instead: when `work` throws, its writes and its signals are
 * undone and the error reaches the caller, whose transaction goes on or not as it decides.
 *
 * Resolves after the commit and, on the in-process backend, after the receivers ran: a
 * request that awaits it answers after its signals were handled.
 *
 * @throws what `work` throws (after rolling back), a database failure (`ServiceUnavailableError`
 *   when it cannot serve), or the error of a send that could not be recorded.
 */
export async function inTransaction<R>(db: Db, work: (trx: Db) => Promise<R>): Promise<R> {
  const parent = SignalTransaction.current()?.executor;
  if (parent instanceof ControlledTransaction) return inSavepoint(parent as Handle, work);
  const trx = (await db.startTransaction().execute()) as Handle;
  const scope = new SignalTransaction(trx);
  let result: R;
  try {
    result = await scope.run(() => work(trx));
    if (scope.failure !== undefined) throw scope.failure;
    await trx.commit().execute();
  } catch (error) {
    await rollBack(trx, scope);
    throw error;
  }
  await scope.committed();
  return result;
}

async function inSavepoint<R>(parent: Handle, work: (trx: Db) => Promise<R>): Promise<R> {
  const name = `sp_${randomBytes(6).toString('hex')}`;
  const savepoint = (await parent.savepoint(name).execute()) as Handle;
  const scope = new SignalTransaction(savepoint);
  let result: R;
  try {
    result = await scope.run(() => work(savepoint));
    if (scope.failure !== undefined) throw scope.failure;
    await savepoint.releaseSavepoint(name).execute();
  } catch (error) {
    scope.rolledBack();
    await savepoint.rollbackToSavepoint(name).execute();
    throw error;
  }
  await scope.committed();
  return result;
}

// The work's error is the one to report; a rollback that fails too (the connection is gone)
// is no news, and Kysely releases the connection either way.
async function rollBack(trx: Handle, scope: SignalTransaction): Promise<void> {
  scope.rolledBack();
  await trx.rollback().execute().catch(() => undefined);
}
