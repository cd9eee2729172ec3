import type { NextFunction, Request, Response } from 'express';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../errors.js';
import { errorFields, type Logger } from '../logger.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Answers 404 JSON for a route nothing matched. */
export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
}

/**
 * The one place errors become responses. An `AppError` shows its code and message; anything
 * else is logged with its stack and answered with a generic 500, so no stack trace or SQL
 * ever reaches a client.
 */
export function errorHandler(logger: Logger) {
  return (thrown: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(thrown);
    const error = fromBodyParser(thrown) ?? thrown;
    if (error instanceof AppError) {
      res.status(error.status).json(bodyOf(error));
      return;
    }
    logger.error('Unhandled error', errorFields(error));
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong' } } satisfies ErrorBody);
  };
}

function bodyOf({ code, message, details }: AppError): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

// The JSON body parser reports by `type`: a body too large, or one that is not JSON.
function fromBodyParser(thrown: unknown): AppError | undefined {
  const type = (thrown as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new PayloadTooLargeError('The request body is too large');
  if (type === 'entity.parse.failed') return new ValidationError('The request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new ValidationError('The request body encoding is not supported');
  }
  return undefined;
}
