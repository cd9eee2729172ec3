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

/**
 * How one run of a receiver on one message ended: `success`; in-process, `failure`; on a broker
 * backend a failure is `retry` (the message will be delivered to the receiver again) or
 * `dead-lettered` (that was its last attempt: the message goes to the dead letters).
 */
export type ReceiverOutcome = 'success' | 'failure' | 'retry' | 'dead-lettered';

/**
 * What a backend's `onReceiverSettled` observer is told after each run of a receiver: by
 * {@link InProcessBackend} after every receiver of a send, by a broker backend after every
 * delivery a consumer ran (a message dead-lettered without running is not reported).
 */
export interface ReceiverSettledEvent {
  readonly signal: AnySignal;
  readonly receiver: Receiver<never>;
  readonly receiverName: string;
  /** How long the receiver ran, in ms. */
  readonly durationMs: number;
  /** The error the receiver threw, timed out with or rejected with; `undefined` on success. */
  readonly error: Error | undefined;
  readonly outcome: ReceiverOutcome;
  /** Broker backends: which delivery of the message to this receiver it was, from 1. */
  readonly attempt?: number;
  /** Broker backends: the message id (`context.messageId`). */
  readonly messageId?: string;
}

/** Called after every run of a receiver, for metrics. */
export type ReceiverSettledObserver = (event: ReceiverSettledEvent) => void;

/**
 * What a backend's `onSent` observer is told after each message it sends: in-process, at every
 * `send` (after the commit, for a send in a transaction); on a broker backend, when the broker
 * accepted the message or refused it, whether it was sent directly or relayed from the outbox.
 */
export interface SentEvent {
  readonly signalName: string;
  /** Broker backends: the message id; `undefined` in-process, or for a payload refused before it had one. */
  readonly messageId: string | undefined;
  /** Why the message was not sent (`PublishError`, `UnportablePayloadError`); `undefined` when it was. */
  readonly error: Error | undefined;
}

/** Called after every message a backend sends, for metrics. */
export type SentObserver = (event: SentEvent) => void;

/** The arguments of `send`: the payload, optional when the payload type is `void`. */
export type SendArgs<T> = [T] extends [void] ? [payload?: T] : [payload: T];
