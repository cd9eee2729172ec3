import type { BaseSignalBackend } from './backend.js';
import { InProcessBackend } from './in-process-backend.js';

let current: BaseSignalBackend | undefined;

/**
 * The backend every signal uses. Signals look it up at each call, so a backend swapped in
 * later (by the app at start, or by a test) is followed by signals declared at module level.
 * The first call creates an {@link InProcessBackend} with the default logger.
 */
export function getBackend(): BaseSignalBackend {
  current ??= new InProcessBackend();
  return current;
}

/**
 * Makes `backend` the one every signal uses.
 *
 * @returns the backend it replaces, so a caller can put it back.
 */
export function setBackend(backend: BaseSignalBackend): BaseSignalBackend {
  const previous = getBackend();
  current = backend;
  return previous;
}

/**
 * Installs a fresh {@link InProcessBackend}, with no receivers connected.
 *
 * @returns the backend it replaces.
 */
export function resetBackend(): BaseSignalBackend {
  return setBackend(new InProcessBackend());
}

/**
 * Runs `fn` with `backend` as the current backend and puts the previous one back afterwards,
 * whether `fn` returns, rejects or throws.
 *
 * @returns what `fn` returns (awaited).
 * @example
 * const recorder = new RecordingBackend();
 * await withBackend(recorder, () => service.create(input));
 */
export async function withBackend<R>(backend: BaseSignalBackend, fn: () => R | Promise<R>): Promise<R> {
  const previous = setBackend(backend);
  try {
    return await fn();
  } finally {
    current = previous;
  }
}
