import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import {
  AppError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';
import { errorFields, type Logger } from '../logger.js';
import { INVALID_UTF8 } from './json-body.js';

/** The body of every error response; the API document shows this schema. */
export const errorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ examples: ['validation_failed', 'not_found', 'conflict'] }),
      message: z.string(),
      details: z.unknown().optional().meta({ description: 'For invalid input: one `{ path, message }` per problem' }),
    }),
  })
  .meta({ id: 'Error' });

type ErrorBody = z.output<typeof errorBody>;

/** Answers 404 JSON for a route nothing matched. */
export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
}

/**
 * The one place errors become responses. An `AppError` shows its code and message (a 405 with
 * `Allow`, a 503 with `Retry-After`, logged at warn with its cause); a client that went away
 * is logged at info; anything else is logged with its stack and answered with a generic 500,
 * so no stack trace or SQL ever reaches a client.
 */
export function errorHandler(logger: Logger) {
  return (thrown: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(thrown);
    if (isClientAbort(thrown)) {
      logger.info('The client closed the request before it was read', { method: req.method, path: req.path });
      res.status(400).end();
      return;
    }
    const error = fromHttpLayer(thrown) ?? thrown;
    if (!(error instanceof AppError)) {
      logger.error('Unhandled error', errorFields(error));
      res.status(500).json({ error: { code: 'internal', message: 'Something went wrong' } } satisfies ErrorBody);
      return;
    }
    if (error instanceof MethodNotAllowedError) res.setHeader('Allow', error.allowed.join(', '));
    if (error instanceof ServiceUnavailableError) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      logger.warn(`Answered 503: ${error.message}`, errorFields(error.cause));
    }
    res.status(error.status).json(bodyOf(error));
  };
}

function bodyOf({ code, message, details }: AppError): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function isClientAbort(thrown: unknown): boolean {
  return (thrown as { type?: unknown } | null)?.type === 'request.aborted';
}

// What Express and its body parser throw, by `type` (body-parser) or by kind (a path
// parameter that is not valid percent-encoding is a URIError marked 400 by the router; a body
// that does not decompress is an http-errors 400 with zlib's message).
function fromHttpLayer(thrown: unknown): AppError | undefined {
  const { type, status, expose } = (thrown ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  if (type === 'entity.too.large') return new PayloadTooLargeError('The request body is too large');
  if (type === 'entity.parse.failed') return new ValidationError('The request body is not valid JSON');
  if (type === INVALID_UTF8) return new ValidationError('The request body is not valid UTF-8');
  if (type === 'charset.unsupported') return new UnsupportedMediaTypeError('The request body charset is not supported; send UTF-8');
  if (type === 'encoding.unsupported') {
    return new UnsupportedMediaTypeError('The request body content encoding is not supported; send identity, gzip, deflate or br');
  }
  if (thrown instanceof URIError) return new ValidationError('The request path is not valid percent-encoding');
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, status === 400 ? 'validation_failed' : 'bad_request', 'The request body could not be read');
  }
  return undefined;
}
