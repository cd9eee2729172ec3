import { z } from 'zod';
import type { ZodOpenApiRequestBodyObject, ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { errorBody } from '../middleware/error-handler.js';
import { MAX_ID } from '../middleware/validate.js';

/** An id as a response carries it: a number (a path or a query carries it as decimal text). */
export const storedId = z.int().min(1).max(MAX_ID);

/** A time as the tables store it: ISO 8601 text in UTC. */
export const timestamp = z.iso.datetime();

/** A JSON request body: `schema` is the one the route validates the body with. */
export function requestJson(schema: z.ZodType): ZodOpenApiRequestBodyObject {
  return { required: true, content: { 'application/json': { schema } } };
}

export function jsonResponse(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: { 'application/json': { schema } } };
}

// What each status means in this app, as the error handler maps it (src/middleware/error-handler.ts).
const ERROR_MEANINGS = {
  400: 'validation_failed: the input does not match the schema (`details` says where), or the body is not JSON or not UTF-8',
  403: 'the request is refused: a credential it carries is not correct (the `code` says which)',
  404: 'not_found: there is no such resource',
  409: 'conflict: the request contradicts the current state',
  413: 'payload_too_large: the body is over 100 kB',
  415: 'unsupported_media_type: the body is not `application/json`, or its charset or content encoding is not supported',
  500: 'internal: an unexpected failure; the message is generic, the details are only in the log',
  503: 'service_unavailable: the database cannot serve now; the request may be retried after `Retry-After` seconds',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANINGS;

/** Statuses any operation with a JSON body may answer before its route runs. */
export const BODY_ERRORS = [400, 413, 415] as const satisfies ErrorStatus[];

const retryAfter = z.strictObject({
  'Retry-After': z.string().meta({ description: 'Seconds to wait before retrying', example: '1' }),
});

function errorResponse(status: ErrorStatus, description: string): ZodOpenApiResponseObject {
  const response = jsonResponse(description, errorBody);
  return status === 503 ? { ...response, headers: retryAfter } : response;
}

/**
 * The error responses of one operation, in the shape every error has. Name a status alone for
 * its usual meaning, or with a description of what it means here (`[409, 'The email is taken']`).
 * A 500 is added to every operation: any of them can fail unexpectedly.
 */
export function errorResponses(...cases: (ErrorStatus | readonly [ErrorStatus, string])[]): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const each of [...cases, 500 as const]) {
    const [status, description] = typeof each === 'number' ? [each, ERROR_MEANINGS[each]] : each;
    responses[`${status}`] = errorResponse(status, description);
  }
  return responses;
}

/**
 * Any path answers 405 with `Allow` to a method it has no operation for (and `OPTIONS` with 204
 * and `Allow`); OpenAPI has no place for that on a path, so the document lists it once.
 */
export const methodNotAllowedResponse: ZodOpenApiResponseObject = {
  description: 'method_not_allowed: the path has no operation for this method; `Allow` lists those it has',
  headers: z.strictObject({ Allow: z.string().meta({ description: 'The methods the path answers', example: 'GET, HEAD, POST' }) }),
  content: { 'application/json': { schema: errorBody } },
};
