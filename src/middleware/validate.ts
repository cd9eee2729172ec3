import { z } from 'zod';
import { ValidationError } from '../errors.js';

/** A positive integer id from a path segment; `abc`, `1.5` and `-1` are rejected with 400. */
export const idParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/**
 * Parses `value` with `schema`. Build request schemas with `z.strictObject`, so that unknown
 * keys (`isAdmin`, `__proto__`) are rejected rather than silently dropped.
 *
 * @throws ValidationError with one `{ path, message }` per problem, before anything is written.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(`Invalid request ${where}`, details);
}
