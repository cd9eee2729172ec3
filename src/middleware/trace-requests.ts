import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

/** The instrumentation scope of the HTTP server spans. */
const TRACER_NAME = 'express-signals-http';

/**
 * A SERVER span per request, so that a trace starts at the HTTP request and the signals it
 * sends are its children: continues the caller's trace from its `traceparent` header (W3C,
 * through the global propagator), named `POST /users/:id` once the route is known, with the
 * stable HTTP attributes (`http.request.method`, `url.path`, `http.route`,
 * `http.response.status_code`) and ERROR status for a 5xx. Ends when the response is sent or
 * the connection closes. Without an OpenTelemetry SDK it only calls `next`.
 *
 * A middleware rather than @opentelemetry/instrumentation-http and -express: those patch
 * modules as they load, which an ESM app only gets with a loader hook (`--import`).
 */
export function traceRequests(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = trace.getTracer(TRACER_NAME).startSpan(
    req.method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path, 'url.scheme': req.protocol } },
    parent,
  );
  if (!span.isRecording() && !trace.isSpanContextValid(span.spanContext())) return next();
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    endServerSpan(span, req, res);
  };
  res.once('finish', end).once('close', end);
  context.with(trace.setSpan(parent, span), next);
}

function endServerSpan(span: Span, req: Request, res: Response): void {
  const route = routeOf(req);
  if (route !== undefined) {
    span.updateName(`${req.method} ${route}`);
    span.setAttribute('http.route', route);
  }
  if (res.headersSent) span.setAttribute('http.response.status_code', res.statusCode);
  if (res.statusCode >= 500 || !res.writableFinished) {
    span.setAttribute('error.type', res.writableFinished ? String(res.statusCode) : 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * The matched route as written (`/users/:id`), or `undefined` when no route matched (a 404).
 * Read when the response is sent: a route that passed an error on has left its router by then,
 * which resets `req.baseUrl`, so the mount path is taken from the request's path instead: all
 * of it but the segments the route's own path (plain segments and `:params`) matched.
 */
function routeOf(req: Request): string | undefined {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return undefined;
  const routeSegments = path.split('/').filter((segment) => segment !== '').length;
  const requestSegments = (req.originalUrl.split('?', 1)[0] ?? '').split('/').filter((segment) => segment !== '');
  const mount = requestSegments.slice(0, Math.max(requestSegments.length - routeSegments, 0)).join('/');
  const route = `${mount === '' ? '' : `/${mount}`}${path}`;
  return route.length > 1 && route.endsWith('/') ? route.slice(0, -1) : route;
}
