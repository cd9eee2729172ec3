import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { UnsupportedMediaTypeError } from '../errors.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Parses JSON bodies of up to `limit`; a request that has a body of any other media type is
 * answered 415 before a route sees it. A request without a body (`POST /orders/1/cancel`)
 * needs no content type. A bad charset or encoding is a 415 too (see the error handler).
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson = (req: Request, _res: Response, next: NextFunction): void => {
    // `req.is` answers null when there is no body, false when the body is of another type; a
    // `Content-Length: 0` counts as a body to it, but there is nothing to parse.
    const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;
    if (!empty && req.is(JSON_TYPES) === false) return next(new UnsupportedMediaTypeError('The request body must be application/json'));
    next();
  };
  return [requireJson, express.json({ limit, type: JSON_TYPES })];
}
