import { z } from 'zod';
import { ValidationError } from '../errors.js';

/** The largest id: PostgreSQL's `integer`, which its `serial` ids are. */
export const MAX_ID = 2_147_483_647;

/**
 * An id as a path segment or query value carries it: a canonical decimal from 1 to
 * {@link MAX_ID}. Anything else (`0`, `-1`, `01`, `+1`, `1e0`, `0x1`, `1.0`, `2147483648`) is a
 * 400, so one resource has one URL and no id reaches the database out of its range.
 */
export const id = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, `must be a whole number from 1 to ${MAX_ID}, in decimal without leading zeros`)
  .transform(Number)
  .refine((value) => value <= MAX_ID, `must be a whole number from 1 to ${MAX_ID}, in decimal without leading zeros`)
  .meta({ description: `A whole number from 1 to ${MAX_ID}, in decimal without leading zeros`, example: '1' });

export const idParams = z.strictObject({ id });

/**
 * An e-mail address as the app stores and compares it: trimmed and lower-cased, so that one
 * mailbox is one account however it is typed.
 */
export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .meta({ format: 'email', description: 'Trimmed and lower-cased before it is checked and stored', example: 'ada@example.com' });

/**
 * Parses `value` with `schema`. Build request schemas with `z.strictObject`, so that unknown
 * keys (`isAdmin`, `__proto__`) are rejected rather than silently dropped. A string anywhere in
 * `value` that holds a NUL character or an unpaired surrogate is refused first: PostgreSQL
 * cannot store the one, and the other would be stored as U+FFFD.
 *
 * @throws ValidationError with one `{ path, message }` per problem, before anything is written.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const unstorable = unstorableStrings(value);
  if (unstorable.length > 0) {
    const details = unstorable.map(({ path, message }) => ({ path: [where, ...path].join('.'), message }));
    throw new ValidationError(`Invalid request ${where}`, details);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(`Invalid request ${where}`, details);
}

// A string a database cannot store as sent: a NUL (PostgreSQL refuses it) or an unpaired
// surrogate (`"\ud800"` in JSON), which would be stored as U+FFFD. Iterative, so that a deeply
// nested body cannot overflow the stack.
function unstorableStrings(value: unknown): { path: string[]; message: string }[] {
  const found: { path: string[]; message: string }[] = [];
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) found.push({ path: next.path, message: 'must not contain NUL characters' });
      else if (!isWellFormed(next.value)) found.push({ path: next.path, message: 'must be valid Unicode (no unpaired surrogates)' });
    } else if (typeof next.value === 'object' && next.value !== null) {
      for (const [key, child] of Object.entries(next.value)) pending.push({ value: child, path: [...next.path, key] });
    }
  }
  return found.reverse();
}

// String.prototype.isWellFormed (Node 20) is not in the ES2023 lib this project compiles against.
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
