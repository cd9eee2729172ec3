import { AsyncResource } from 'node:async_hooks';

// Captured when this module is first imported, at startup, outside any request.
const root = new AsyncResource('express-signals.detached');

/**
 * Runs `open` in the async context of the process's startup rather than the caller's.
 *
 * A long-lived resource (a connection, a pool's client, a consumer loop, a relay, its timers)
 * keeps the async context it was created in: every callback of its socket runs there. Opened
 * lazily by the first request, it would make every later log line of that resource (a
 * `Socket closed unexpectedly` hours later) carry that request's id, and any other
 * AsyncLocalStorage value of it (a transaction, a trace span). Open such resources through
 * this, so they belong to no request. Promises `open` returns still resume their awaiting
 * caller in the caller's context.
 */
export function runDetached<R>(open: () => R): R {
  return root.runInAsyncScope(open);
}
