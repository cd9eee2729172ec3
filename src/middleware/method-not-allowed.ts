import type { NextFunction, Request, Response, Router } from 'express';
import { MethodNotAllowedError } from '../errors.js';

/**
 * Call last in a router builder: for every path the router has routes for, a request with
 * another method answers 405 with `Allow` (RFC 9110, 15.5.6) instead of falling through to a
 * 404, and `OPTIONS` answers 204 with `Allow`. The methods are read from the routes themselves,
 * so the list cannot drift from them.
 */
export function answerOtherMethods(router: Router): Router {
  const allowedByPath = new Map<string, Set<string>>();
  for (const { route } of router.stack) {
    if (route === undefined) continue;
    const methods = allowedByPath.get(route.path) ?? new Set<string>();
    for (const method of Object.keys((route as { methods?: object }).methods ?? {})) methods.add(method.toUpperCase());
    if (methods.has('GET')) methods.add('HEAD');
    allowedByPath.set(route.path, methods);
  }
  for (const [path, methods] of allowedByPath) {
    const allowed = [...methods].sort();
    router.all(path, (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'OPTIONS') return next(new MethodNotAllowedError(allowed));
      res.setHeader('Allow', allowed.join(', '));
      res.status(204).end();
    });
  }
  return router;
}
