import type { Signal } from './signal.js';

/**
 * What a receiver gets besides the payload.
 *
 * The in-process backend hands one context to all receivers of a send unless a
 * timeout is set, so that a receiver that ignores it costs nothing extra.
 */
export interface ReceiverContext<T = unknown> {
  /** The signal that fired. */
  readonly signal: Signal<T>;
  /**
   * Aborted when the receiver runs past the backend's `receiverTimeoutMs`. Pass it on to
   * `fetch`, timers or database calls so that abandoned work stops. Created on first access.
   */
  readonly abortSignal: AbortSignal;
  /** The id of the message being handled, on broker backends: stable across retries. */
  readonly messageId?: string;
  /** Which delivery of the message this is, starting at 1, on broker backends. */
  readonly attempt?: number;
}

/**
 * A function connected to a signal. It may be sync or async; whatever it returns that is
 * thenable is awaited before the next receiver runs. What it throws or rejects with is
 * caught, logged and returned by `send`; it never reaches the sender.
 */
export type Receiver<T = unknown> = (payload: T, context: ReceiverContext<T>) => unknown;

/** Options for {@link Signal.connect}. */
export interface ConnectOptions {
  /**
   * The receiver's name in logs and, on broker backends, on the wire (it names the consumer
   * group or queue). Defaults to the function's own name.
   */
  readonly name?: string;
}

/**
 * A signal of any payload type, for APIs that take several signals at once. `Signal<T>` is
 * invariant in `T` (its payload flows in through `send` and out to receivers), so no other
 * type accepts every signal.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an existential type, see above
export type AnySignal = Signal<any>;

/** What {@link InProcessBackend}'s `onReceiverSettled` observer is told after each receiver. */
export interface ReceiverSettledEvent {
  readonly signal: AnySignal;
  readonly receiver: Receiver<never>;
  readonly receiverName: string;
  readonly durationMs: number;
  /** The error the receiver threw, timed out with or rejected with; `undefined` on success. */
  readonly error: Error | undefined;
}

/** The arguments of `send`: the payload, optional when the payload type is `void`. */
export type SendArgs<T> = [T] extends [void] ? [payload?: T] : [payload: T];
