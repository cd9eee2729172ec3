/** Options of the exponential retry backoff. */
export interface BackoffOptions {
  /** Delay before the second attempt. */
  readonly baseDelayMs: number;
  /** Upper bound of any delay. */
  readonly maxDelayMs: number;
}

/**
 * The delay before attempt `failedAttempt + 1`: doubling from `baseDelayMs`, capped, with up
 * to 20 % jitter so that consumers that failed together do not retry in lock step.
 */
export function retryDelayMs(failedAttempt: number, options: BackoffOptions): number {
  const exponential = options.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1);
  const capped = Math.min(options.maxDelayMs, exponential);
  return Math.round(capped * (0.8 + Math.random() * 0.2));
}

/**
 * Waits `ms`, or less when `abortSignal` aborts.
 *
 * @returns true when the full delay passed, false when it was cut short.
 */
export function sleep(ms: number, abortSignal?: AbortSignal): Promise<boolean> {
  if (abortSignal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      abortSignal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    abortSignal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles as `work` does, or rejects with `Error(message)` after `ms`; the timer never
 * outlives the race. `work` itself is not cancelled: pass the deadline to it as well.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
