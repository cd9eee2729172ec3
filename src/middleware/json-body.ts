import { isUtf8 } from 'node:buffer';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { UnsupportedMediaTypeError } from '../errors.js';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** The body parser's `type` for a body that is not valid UTF-8. */
export const INVALID_UTF8 = 'entity.utf8.invalid';

// The parser would decode bad bytes to U+FFFD and store them; refuse them instead.
function verifyUtf8(_req: Request, _res: Response, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('The request body is not valid UTF-8'), { type: INVALID_UTF8 });
}

/**
 * Parses JSON bodies of up to `limit`; a request that has a body of any other media type is
 * answered 415 before a route sees it. A request without a body (`POST /orders/1/cancel`)
 * needs no content type. A bad charset or encoding is a 415 too (see the error handler); bytes
 * that are not UTF-8, or a body that does not decompress, are a 400.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson = (req: Request, _res: Response, next: NextFunction): void => {
    // `req.is` answers null when there is no body, false when the body is of another type; a
    // `Content-Length: 0` counts as a body to it, but there is nothing to parse.
    const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;
    if (!empty && req.is(JSON_TYPES) === false) return next(new UnsupportedMediaTypeError('The request body must be application/json'));
    next();
  };
  return [requireJson, express.json({ limit, type: JSON_TYPES, verify: verifyUtf8 })];
}
