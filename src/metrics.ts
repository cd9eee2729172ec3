import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { watchBroker } from './broker-gauges.js';
import type { Logger } from './logger.js';
import { BrokerBackend } from './signals/brokers/index.js';
import type { BaseSignalBackend, ReceiverSettledObserver, SentObserver } from './signals/index.js';

// Names and labels follow the OpenTelemetry messaging metrics (messaging.client.sent.messages,
// messaging.client.consumed.messages, messaging.process.duration) as Prometheus spells them;
// docs/operations.md lists every series.

/** The buckets OpenTelemetry advises for messaging durations, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const DESTINATION_LABELS = ['messaging_system', 'messaging_operation_name', 'messaging_destination_name'] as const;

export interface SignalMetricsOptions {
  /** `messaging_system` on every series: the backend's name (`memory`, `redis`, `rabbitmq`). */
  readonly system: string;
  /** Where a gauge that cannot be read on a scrape is reported (at most once a `warningIntervalMs` each). */
  readonly logger: Logger;
  /** Longest a scrape waits for the broker or the database. Default 2000 ms. */
  readonly readTimeoutMs?: number;
  /** Default 60 000 ms. */
  readonly warningIntervalMs?: number;
}

/** The observers a signal backend takes (`onSent`, `onReceiverSettled`), bound to one {@link SignalMetrics}. */
export interface SignalObservers {
  readonly onSent: SentObserver;
  readonly onReceiverSettled: ReceiverSettledObserver;
}

/**
 * The signal metrics of one process, in a registry of its own (not prom-client's global one, so
 * that tests and several apps in one process do not share counts). Counts come from the
 * backend's observers ({@link observers}); on a broker backend ({@link watch}), the dead letters,
 * the consumer lag and the outbox are read at each scrape. Building it does no I/O.
 */
export class SignalMetrics {
  readonly registry = new Registry();
  readonly observers: SignalObservers;
  readonly #options: SignalMetricsOptions;
  #watching = false;

  constructor(options: SignalMetricsOptions) {
    this.#options = options;
    const system = options.system;
    const registers = [this.registry];
    const sent = new Counter({
      name: 'messaging_client_sent_messages_total',
      help: 'Messages sent: accepted by the broker, or refused (error_type); in-process, every send',
      labelNames: [...DESTINATION_LABELS, 'error_type'],
      registers,
    });
    const consumed = new Counter({
      name: 'messaging_client_consumed_messages_total',
      help: 'Messages a receiver ran on, by outcome: success, failure (in-process), retry or dead-lettered (broker)',
      labelNames: [...DESTINATION_LABELS, 'receiver', 'outcome'],
      registers,
    });
    const duration = new Histogram({
      name: 'messaging_process_duration_seconds',
      help: 'How long a receiver ran on one message; error_type is set when it failed',
      labelNames: [...DESTINATION_LABELS, 'receiver', 'error_type'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.observers = {
      onSent: ({ signalName, error }) => {
        const labels = { messaging_system: system, messaging_operation_name: 'send', messaging_destination_name: signalName };
        sent.inc(error === undefined ? labels : { ...labels, error_type: errorType(error) });
      },
      onReceiverSettled: ({ signal, receiverName, durationMs, error, outcome }) => {
        const labels = { messaging_system: system, messaging_operation_name: 'process', messaging_destination_name: signal.name, receiver: receiverName };
        consumed.inc({ ...labels, outcome });
        duration.observe(error === undefined ? labels : { ...labels, error_type: errorType(error) }, durationMs / 1000);
      },
    };
  }

  /**
   * On a broker backend: at each scrape, reads the dead-letter count, each receiver's lag and
   * pending messages and, with an outbox, its pending messages and lag. A figure that cannot be
   * read within `readTimeoutMs` is left out of that scrape (and logged). Other backends have
   * none of these. Call it once.
   */
  watch(backend: BaseSignalBackend): void {
    if (!(backend instanceof BrokerBackend)) return;
    if (this.#watching) throw new Error('SignalMetrics.watch() was called twice');
    this.#watching = true;
    const { system, logger, readTimeoutMs = 2000, warningIntervalMs = 60_000 } = this.#options;
    watchBroker(backend, { registry: this.registry, system, logger, readTimeoutMs, warningIntervalMs });
  }

  /**
   * Adds prom-client's default Node process metrics (CPU, memory, event loop lag, GC, handles).
   * It starts monitors that run for the life of the process: call it once, from the process.
   */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The Content-Type of {@link render}'s text: the Prometheus text format. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format; reads the broker figures first. Never rejects for them. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** `error.type`: the error's class name, low in cardinality; `_OTHER` when it has none. */
function errorType(error: Error): string {
  return error.name === '' ? '_OTHER' : error.name;
}
