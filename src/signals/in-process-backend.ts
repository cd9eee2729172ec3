import { context, trace, type Span } from '@opentelemetry/api';
import { RegistryBackend } from './registry-backend.js';
import { DispatchContext } from './context.js';
import { assertDuration } from './duration.js';
import { ReceiverTimeoutError, toError } from './errors.js';
import { getDefaultSignalLogger, logReceiverFailure, type SignalLogger } from './logger.js';
import { notifyObserver } from './observers.js';
import type { Signal } from './signal.js';
import { IN_PROCESS_SYSTEM, inSpan, startProcessSpan, startSendSpan } from './tracing.js';
import type { Receiver, ReceiverSettledObserver, SentObserver } from './types.js';

/** Options for {@link InProcessBackend}. */
export interface InProcessBackendOptions {
  /** Where receiver failures are logged. Default: JSON lines on the console. */
  readonly logger?: SignalLogger;
  /**
   * How long an async receiver may run. Past it, the receiver's `abortSignal` is aborted, a
   * {@link ReceiverTimeoutError} is recorded and the send moves on. Default: no limit.
   *
   * @throws RangeError from the constructor unless it is above 0 and at most 2^31 − 1 ms
   *   (the longest timer Node honours).
   */
  readonly receiverTimeoutMs?: number;
  /**
   * Called after every receiver with its duration and outcome (`success` or `failure`), for
   * metrics. If it throws, the error is logged and ignored. Setting it times each receiver
   * (the send then takes the path `receiverTimeoutMs` takes).
   */
  readonly onReceiverSettled?: ReceiverSettledObserver;
  /**
   * Called at every send, receivers or not, before they run, for metrics (a send in a
   * transaction: after the commit). If it throws, the error is logged and ignored.
   */
  readonly onSent?: SentObserver;
}

/**
 * The default backend: receivers run in this process, one after another, in connection
 * order, each awaited before the next. The receiver list is read once when a send starts;
 * connecting or disconnecting during a send affects the next one. Failures are caught,
 * logged and returned; `send` never rejects.
 *
 * With an OpenTelemetry SDK registered, each send is a `send <signal>` span (a child of the
 * active one) and each receiver's run a `process <signal>` span, a child of the send's, with
 * ERROR status when it fails; `messaging.system` is `memory`. See `tracing.ts`.
 */
export class InProcessBackend extends RegistryBackend {
  readonly #logger: SignalLogger | undefined;
  readonly #timeoutMs: number | undefined;
  readonly #observer: ReceiverSettledObserver | undefined;
  readonly #sentObserver: SentObserver | undefined;

  constructor(options: InProcessBackendOptions = {}) {
    super();
    const { receiverTimeoutMs } = options;
    if (receiverTimeoutMs !== undefined) assertDuration('receiverTimeoutMs', receiverTimeoutMs);
    this.#logger = options.logger;
    this.#timeoutMs = receiverTimeoutMs;
    this.#observer = options.onReceiverSettled;
    this.#sentObserver = options.onSent;
  }

  override send<T>(signal: Signal<T>, payload: T): Promise<Error[]> {
    if (this.#sentObserver !== undefined) this.#notifySent(this.#sentObserver, signal);
    const receivers = this.registry.get<T>(signal);
    const span = startSendSpan(signal.name, IN_PROCESS_SYSTEM);
    // Without an SDK (or sampled out) the span records nothing: the untraced paths below.
    if (span.isRecording()) return this.#dispatchSupervised(signal, payload, receivers, span);
    if (receivers.length === 0) return Promise.resolve([]);
    if (this.#timeoutMs === undefined && this.#observer === undefined) {
      return this.#dispatch(signal, payload, receivers);
    }
    return this.#dispatchSupervised(signal, payload, receivers);
  }

  /**
   * The hot path: no timers, no clocks, one shared context for the whole send. Receivers run
   * synchronously, as an async function's body would until its first await, and the send
   * turns async only at the first thenable: a send to sync receivers then skips the async
   * function's promise and frame (bench/dispatch.bench.ts).
   */
  #dispatch<T>(signal: Signal<T>, payload: T, receivers: readonly Receiver<T>[]): Promise<Error[]> {
    const errors: Error[] = [];
    const context = new DispatchContext(signal);
    try {
      for (let index = 0; index < receivers.length; index++) {
        const receiver = receivers[index] as Receiver<T>;
        try {
          const result = receiver(payload, context);
          if (isThenable(result)) {
            return this.#dispatchFrom(signal, payload, receivers, { index, pending: result, errors, context });
          }
        } catch (thrown) {
          errors.push(this.#failure(signal, receiver, thrown));
        }
      }
    } catch (unexpected) {
      // What an async function would have turned into a rejection stays one, as it was thrown.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return Promise.reject(unexpected);
    }
    return Promise.resolve(errors);
  }

  /** The rest of {@link #dispatch} once receiver `index` has returned `pending`. */
  async #dispatchFrom<T>(
    signal: Signal<T>,
    payload: T,
    receivers: readonly Receiver<T>[],
    { index, pending, errors, context }: PendingDispatch<T>,
  ): Promise<Error[]> {
    let result: unknown = pending;
    for (let next = index; next < receivers.length; next++) {
      const receiver = receivers[next] as Receiver<T>;
      try {
        if (next > index) result = receiver(payload, context);
        if (isThenable(result)) await result;
      } catch (thrown) {
        errors.push(this.#failure(signal, receiver, thrown));
      }
    }
    return errors;
  }

  /** Each receiver timed, with its timeout; with `sendSpan`, each in a `process` span, its child. */
  async #dispatchSupervised<T>(
    signal: Signal<T>,
    payload: T,
    receivers: readonly Receiver<T>[],
    sendSpan?: Span,
  ): Promise<Error[]> {
    const errors: Error[] = [];
    try {
      for (const receiver of receivers) {
        const started = performance.now();
        const error = await (sendSpan === undefined ? this.#runOne(signal, payload, receiver) : this.#runTraced(signal, payload, receiver, sendSpan));
        if (error !== undefined) errors.push(error);
        this.#notify(signal, receiver, performance.now() - started, error);
      }
    } finally {
      sendSpan?.end();
    }
    return errors;
  }

  #runTraced<T>(signal: Signal<T>, payload: T, receiver: Receiver<T>, sendSpan: Span): Promise<Error | undefined> {
    const parent = trace.setSpan(context.active(), sendSpan);
    const fields = { system: IN_PROCESS_SYSTEM, signalName: signal.name, receiverName: this.registry.nameOf(signal, receiver) };
    return inSpan(startProcessSpan(fields, parent), parent, () => this.#runOne(signal, payload, receiver));
  }

  async #runOne<T>(signal: Signal<T>, payload: T, receiver: Receiver<T>): Promise<Error | undefined> {
    const context = new DispatchContext(signal);
    try {
      const result = receiver(payload, context);
      if (isThenable(result)) await this.#withTimeout(result, context, signal, receiver);
      return undefined;
    } catch (thrown) {
      return this.#failure(signal, receiver, thrown);
    }
  }

  #withTimeout<T>(
    result: PromiseLike<unknown>,
    context: DispatchContext<T>,
    signal: Signal<T>,
    receiver: Receiver<T>,
  ): PromiseLike<unknown> {
    const timeoutMs = this.#timeoutMs;
    if (timeoutMs === undefined) return result;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ReceiverTimeoutError(signal.name, this.registry.nameOf(signal, receiver), timeoutMs);
        context.abort(error);
        reject(error);
      }, timeoutMs);
    });
    return Promise.race([result, expired]).finally(() => clearTimeout(timer));
  }

  #notify<T>(signal: Signal<T>, receiver: Receiver<T>, durationMs: number, error: Error | undefined): void {
    const observer = this.#observer;
    if (observer === undefined) return;
    const receiverName = this.registry.nameOf(signal, receiver);
    const outcome = error === undefined ? 'success' : 'failure';
    const event = { signal, receiver: receiver as unknown as Receiver<never>, receiverName, durationMs, error, outcome } as const;
    notifyObserver(observer, event, this.#log, signal.name, 'onReceiverSettled');
  }

  #notifySent<T>(observer: SentObserver, signal: Signal<T>): void {
    notifyObserver(observer, { signalName: signal.name, messageId: undefined, error: undefined }, this.#log, signal.name, 'onSent');
  }

  #failure<T>(signal: Signal<T>, receiver: Receiver<T>, thrown: unknown): Error {
    const receiverName = this.registry.nameOf(signal, receiver);
    const error = toError(thrown, signal.name, receiverName);
    logReceiverFailure(this.#log, signal.name, receiverName, error);
    return error;
  }

  get #log(): SignalLogger {
    return this.#logger ?? getDefaultSignalLogger();
  }
}

/** Where {@link InProcessBackend} dispatch stands when a receiver first returns a thenable. */
interface PendingDispatch<T> {
  readonly index: number;
  readonly pending: PromiseLike<unknown>;
  readonly errors: Error[];
  readonly context: DispatchContext<T>;
}

/** True for promises and anything else with a callable `then`. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
