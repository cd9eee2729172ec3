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
 * Waits that all end early when one `AbortSignal` aborts (a consumer stopping).
 *
 * One listener on the signal serves every pending wait, however many there are: a listener per
 * wait on a shared signal, with more than 10 messages waiting out a retry backoff at once, would
 * make Node print a false `MaxListenersExceededWarning` about a leak.
 */
export class AbortableDelays {
  readonly #pending = new Set<() => void>();

  constructor(private readonly abortSignal: AbortSignal) {
    abortSignal.addEventListener('abort', () => [...this.#pending].forEach((cutShort) => cutShort()), { once: true });
  }

  /**
   * Waits `ms`, or less when the signal aborts.
   *
   * @returns true when the full delay passed, false when it was cut short (or the signal had
   *   already aborted).
   */
  sleep(ms: number): Promise<boolean> {
    if (this.abortSignal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (completed: boolean): void => {
        clearTimeout(timer);
        this.#pending.delete(cutShort);
        resolve(completed);
      };
      const cutShort = (): void => settle(false);
      const timer = setTimeout(settle, ms, true);
      this.#pending.add(cutShort);
    });
  }

  /** Waits in progress; for tests and metrics. */
  get pending(): number {
    return this.#pending.size;
  }
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
