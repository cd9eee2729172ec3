import { ServiceUnavailableError } from '../errors.js';

// SQLSTATE classes and codes that say "not now" rather than "wrong query": connection
// exceptions (08), insufficient resources (53), operator intervention such as a shutdown or a
// statement timeout (57), transaction rollbacks such as a deadlock or a serialization failure
// (40), and a lock that could not be taken (55P03).
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '40']);
const UNAVAILABLE_SQLSTATES = new Set(['55P03']);
const UNAVAILABLE_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)/;
// What the PostgreSQL client and pool say, without a SQLSTATE, when the connection fails.
const CONNECTION_FAILURE = /connect|terminated|timeout|not queryable|closed|discarded/i;

/**
 * True when `error` means the database cannot serve now (unreachable, not answering in time,
 * busy, shutting down), as opposed to a query it rejected (a constraint, bad SQL, a bad
 * binding): a SQLSTATE or SQLite code of that kind, a socket error (`ECONNRESET`), or a
 * connection failure the PostgreSQL client reports without a code (`Query read timeout`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return UNAVAILABLE_SQLITE_CODES.test(code);
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_SQLSTATES.has(code);
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return code === undefined && CONNECTION_FAILURE.test(error.message);
}

/**
 * `error` as a `ServiceUnavailableError` (503) when it means the database is unavailable,
 * with `message` (a failed commit says that its outcome is unknown); else `error` itself.
 */
export function translateDatabaseError(error: unknown, message = 'The database is unavailable; try again shortly'): unknown {
  if (error instanceof ServiceUnavailableError || !isDatabaseUnavailable(error)) return error;
  return new ServiceUnavailableError(message, { cause: error });
}

/** True for SQLite's "another connection holds the lock" (`SQLITE_BUSY`, `SQLITE_BUSY_SNAPSHOT`...). */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
