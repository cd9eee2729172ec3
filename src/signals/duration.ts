/**
 * The longest delay Node's timers honour: 2^31 − 1 ms (about 24.8 days). `setTimeout`,
 * `setInterval` and `AbortSignal.timeout` turn anything longer into 1 ms and print a
 * `TimeoutOverflowWarning`, so a "very long" timeout would fire at once.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Checks a duration option before anything uses it as a timer delay.
 *
 * @param name the option's name, as its user wrote it (`receiverTimeoutMs`).
 * @param value milliseconds.
 * @throws RangeError naming the option unless `value` is a finite number above 0 and at most
 *   {@link MAX_TIMER_DELAY_MS}.
 */
export function assertDuration(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_DELAY_MS) {
    throw new RangeError(
      `${name} must be a number of milliseconds above 0 and at most ${MAX_TIMER_DELAY_MS} (the longest timer Node honours), got ${String(value)}`,
    );
  }
}

/** `a + b`, capped at {@link MAX_TIMER_DELAY_MS}: for timers whose delay is derived from two valid ones. */
export function addDurations(a: number, b: number): number {
  return Math.min(a + b, MAX_TIMER_DELAY_MS);
}
