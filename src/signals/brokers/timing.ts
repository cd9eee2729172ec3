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

interface PendingDeadline {
  readonly expiresAt: number;
  readonly reject: (error: Error) => void;
  readonly message: string;
}

/**
 * Deadlines for many short operations (sends) on one clock: a single timer, running only while
 * some are pending, checks them every `resolutionMs`, instead of a timer and a `Promise.race`
 * per operation. An operation past its deadline is rejected at most `resolutionMs` late.
 */
export class Deadlines {
  readonly #pending = new Set<PendingDeadline>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly resolutionMs = 20) {}

  /**
   * Settles as `work` does, or rejects with `Error(message)` once `ms` have passed. `work`
   * itself is not cancelled.
   */
  race<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Data, not a closure: this runs on every send.
      const pending: PendingDeadline = { expiresAt: performance.now() + ms, reject, message };
      this.#pending.add(pending);
      if (this.#timer === undefined) this.#timer = this.#start();
      work.then(
        (value) => {
          this.#pending.delete(pending);
          resolve(value);
        },
        (error: Error) => {
          this.#pending.delete(pending);
          reject(error);
        },
      );
    });
  }

  #start(): NodeJS.Timeout {
    const timer = setInterval(() => {
      const now = performance.now();
      for (const pending of this.#pending) {
        if (pending.expiresAt > now) continue;
        this.#pending.delete(pending);
        pending.reject(new Error(pending.message));
      }
      if (this.#pending.size === 0) {
        clearInterval(timer);
        this.#timer = undefined;
      }
    }, this.resolutionMs);
    // Pending work keeps the process alive by itself; the clock must not.
    timer.unref();
    return timer;
  }
}
