import type { Request, RequestHandler, Response } from 'express';
import morgan from 'morgan';
import type { Logger } from '../logger.js';

/**
 * One `http`-level line per request once its response is finished (or the client went away):
 * `GET /users 200 3.1 ms`, with `method`, `path` (no query string: it may hold secrets),
 * `status`, `durationMs` and `requestId` as fields. morgan measures; winston writes.
 */
export function accessLog(logger: Logger): RequestHandler {
  return morgan<Request, Response>(
    (tokens, req, res) => {
      const path = (req.originalUrl || req.url).split('?')[0] ?? '';
      // Both durations need the moment the headers went out: an aborted response has neither ('?').
      const durationMs = Number(tokens['response-time']?.(req, res) ?? tokens['total-time']?.(req, res));
      const status = res.headersSent ? res.statusCode : undefined;
      const requestId = res.getHeader('X-Request-Id');
      logger.http(`${req.method} ${path} ${status ?? 'aborted'} ${Number.isFinite(durationMs) ? durationMs.toFixed(1) : '?'} ms`, {
        method: req.method,
        path,
        status,
        durationMs: Number.isFinite(durationMs) ? durationMs : undefined,
        requestId: typeof requestId === 'string' ? requestId : undefined,
      });
      // Nothing for morgan to write: the line went to winston.
      return null;
    },
  );
}
