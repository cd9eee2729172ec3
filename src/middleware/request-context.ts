import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

// Long enough for a UUID or a trace id, short and plain enough to be safe in a log line.
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of the request being handled, or `undefined` outside a request. */
export function getRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Runs `fn` with `ctx` as the request context (for workers and tests). */
export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Honours a well-formed `X-Request-Id`, else generates one; echoes it; carries it through the request. */
export function requestContext(req: Request, res: Response, next: NextFunction): void {
  const offered = req.get('x-request-id');
  const requestId = offered !== undefined && ACCEPTED_ID.test(offered) ? offered : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId }, next);
}

