import type { SignalLogger } from '../logger.js';
import { getDefaultSignalLogger } from '../logger.js';
import { assertDuration } from '../duration.js';
import { ThrottledWarnings } from './throttled-warnings.js';
import type { OutboxRelayOptions } from '../outbox/outbox-relay.js';
import type { ReceiverSettledObserver, SentObserver } from '../types.js';
import type { EnvelopeContext } from './envelope.js';

/** Runs `fn` inside the request context carried by a message (the app plugs AsyncLocalStorage in). */
export type RunInContext = <R>(context: EnvelopeContext, fn: () => R) => R;

/** Options every broker backend takes. */
export interface BrokerBackendOptions {
  /** Where failures and connection trouble are logged. Default: JSON lines on the console. */
  readonly logger?: SignalLogger;
  /**
   * Whether this process consumes: when true, each connected receiver starts consuming as
   * soon as it is connected. A web process that only sends leaves it false (the default):
   * its receivers are registered but never run there.
   */
  readonly consume?: boolean;
  /** Deliveries of one message to one receiver before it is dead-lettered. Default 5. */
  readonly maxAttempts?: number;
  /** Delay before the first retry; it doubles per attempt. Default 1000 ms. */
  readonly retryBaseDelayMs?: number;
  /** Cap of the retry delay. Default 30 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** How long `send` may wait for the broker before it returns an error. Default 1500 ms, to stay within 2 s. */
  readonly sendTimeoutMs?: number;
  /**
   * Connection trouble is logged at most once per this long per connection or consumer, with
   * the count of warnings left out. Default 30 000 ms.
   */
  readonly connectionWarningIntervalMs?: number;
  /** Prepended to every stream, key, exchange and queue name, so apps and tests can share a broker. */
  readonly prefix?: string;
  /** Called at each send; what it returns travels in the envelope (the request id). */
  readonly getContext?: () => EnvelopeContext | undefined;
  /** Wraps each receiver call in the consuming process, so its logs carry the request id. */
  readonly runInContext?: RunInContext;
  /**
   * A transactional outbox: sends made inside a transaction (`SignalTransaction`) are written
   * to `store` in that transaction and published after the commit by a relay, until the
   * broker accepts them. The other fields tune the relay.
   */
  readonly outbox?: Omit<OutboxRelayOptions, 'publish' | 'logger'>;
  /**
   * Called in a consuming process after every delivery a receiver ran, with the signal, the
   * receiver, its duration, the outcome (`success`, `retry`: it will be delivered again, or
   * `dead-lettered`: that was its last attempt), the attempt and the message id; for metrics.
   * A message dead-lettered without running (unreadable, or one that never finished) is not
   * reported. What it throws is logged and ignored. Unset, nothing is timed.
   */
  readonly onReceiverSettled?: ReceiverSettledObserver;
  /**
   * Called after every message the broker accepted (`error` undefined) or did not (its error):
   * a direct `send`, or each message the outbox relay publishes, at each attempt. For
   * metrics; what it throws is logged and ignored.
   */
  readonly onSent?: SentObserver;
}

/** {@link BrokerBackendOptions} with every default filled in. */
export interface ResolvedBrokerOptions {
  readonly logger: SignalLogger;
  readonly consume: boolean;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly sendTimeoutMs: number;
  /** Where connection trouble goes: `logger`, throttled per source. */
  readonly connectionWarnings: ThrottledWarnings;
  readonly getContext: () => EnvelopeContext | undefined;
  readonly runInContext: RunInContext;
  readonly outbox: BrokerBackendOptions['outbox'];
  readonly onReceiverSettled: ReceiverSettledObserver | undefined;
  readonly onSent: SentObserver | undefined;
  /** `messaging.system` on the backend's spans: `redis`, `rabbitmq`. */
  readonly messagingSystem: string;
}

const runDirectly: RunInContext = (_context, fn) => fn();

/**
 * Fills in the defaults and checks the numbers.
 *
 * @throws RangeError naming the option for a `maxAttempts` that is not a positive integer, or
 *   a delay or timeout that is not above 0 and at most 2^31 − 1 ms (Node's timer limit).
 */
export function resolveBrokerOptions(options: BrokerBackendOptions, messagingSystem: string): ResolvedBrokerOptions {
  const logger = options.logger ?? getDefaultSignalLogger();
  if (options.connectionWarningIntervalMs !== undefined) assertDuration('connectionWarningIntervalMs', options.connectionWarningIntervalMs);
  const resolved: ResolvedBrokerOptions = {
    logger,
    consume: options.consume ?? false,
    maxAttempts: options.maxAttempts ?? 5,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 30_000,
    sendTimeoutMs: options.sendTimeoutMs ?? 1500,
    connectionWarnings: new ThrottledWarnings(logger, options.connectionWarningIntervalMs ?? 30_000),
    getContext: options.getContext ?? (() => undefined),
    runInContext: options.runInContext ?? runDirectly,
    outbox: options.outbox,
    onReceiverSettled: options.onReceiverSettled,
    onSent: options.onSent,
    messagingSystem,
  };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${resolved.maxAttempts}`);
  }
  for (const key of ['retryBaseDelayMs', 'retryMaxDelayMs', 'sendTimeoutMs'] as const) {
    assertDuration(key, resolved[key]);
  }
  return resolved;
}

/** @throws RangeError naming the option unless `value` is a positive integer (a count). */
export function assertPositiveInteger(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
}
