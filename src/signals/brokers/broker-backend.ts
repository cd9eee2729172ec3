import type { Span } from '@opentelemetry/api';
import { BaseSignalBackend } from '../backend.js';
import { runDetached } from '../detached.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import { notifyObserver } from '../observers.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import type { OutboxMessage } from '../outbox/outbox-store.js';
import type { Signal } from '../signal.js';
import type { SignalTransaction } from '../transaction.js';
import { endSpan, injectTraceContext, setMessageId, startSendSpan } from '../tracing.js';
import type { AnySignal, ConnectOptions, Receiver } from '../types.js';
import { BrokerReceivers, type ReceiverBinding } from './broker-receivers.js';
import { resolveBrokerOptions, type BrokerBackendOptions, type ResolvedBrokerOptions } from './broker-options.js';
import type { DeadLetterEntry, DeadLetterFilter, DeadLetterListOptions, DeadLetterReplay, DeadLetterStore } from './dead-letters.js';
import { encodeEnvelope, type EnvelopeContext, type SignalEnvelope } from './envelope.js';
import { PublishError, UnportablePayloadError } from './errors.js';
import { Deadlines, withTimeout } from './timing.js';

/**
 * What the Redis and RabbitMQ backends share: the naming rules at connect time, the envelope
 * and its payload check, the send deadline, and starting consumers only when `consume` is on.
 * Subclasses publish one envelope and run one consumer per receiver binding.
 */
export abstract class BrokerBackend extends BaseSignalBackend {
  protected readonly options: ResolvedBrokerOptions;
  readonly #receivers = new BrokerReceivers();
  readonly #consumersReady = new Map<ReceiverBinding, Promise<void>>();
  /** Consumers stopped by `disconnect`: `close` waits for them before closing connections. */
  readonly #consumersStopping = new Set<Promise<void>>();
  readonly #relay: OutboxRelay | undefined;
  /** Bindings whose queue or group exists on the broker, declared by this process. */
  readonly #declared = new WeakSet<ReceiverBinding>();
  /** Connected bindings not yet in {@link #declared}: while 0, a send skips the declaration step. */
  #undeclared = 0;
  #declaring: Promise<void> | undefined;
  #closed = false;
  readonly #deadlines = new Deadlines();
  readonly #sendTimeoutMessage: string;

  /** @param messagingSystem - `messaging.system` on this backend's spans: `redis`, `rabbitmq`. */
  constructor(options: BrokerBackendOptions, messagingSystem: string) {
    super();
    this.options = resolveBrokerOptions(options, messagingSystem);
    this.#sendTimeoutMessage = `the broker did not accept it within ${this.options.sendTimeoutMs} ms`;
    if (options.outbox !== undefined) {
      const publish = (messages: OutboxMessage[]): Promise<void> => this.#publishStored(messages);
      this.#relay = new OutboxRelay({ ...options.outbox, logger: this.options.logger, publish });
    }
  }

  /** The relay of the outbox, when the backend was given one (`outbox`); for its lag. */
  get outboxRelay(): OutboxRelay | undefined {
    return this.#relay;
  }

  /**
   * With an outbox: starts relaying it now, so that what a crash or an outage left behind is
   * published without waiting for the next commit. Every process that sends should call it at
   * start. Without an outbox: does nothing.
   */
  startOutboxRelay(): void {
    if (!this.#closed) this.#relay?.start();
  }

  /**
   * With an outbox (`outbox` option), a send inside a transaction writes the message to the
   * outbox in that transaction; after the commit the relay publishes it, at once and again
   * until the broker accepts it. So the message exists if and only if the write committed,
   * whatever happens to the broker or this process after the commit. Without an outbox, the
   * send is published after the commit, at most once (see {@link send}).
   *
   * @returns `[]` once the row is written; else the error (also logged, and given to
   *   `transaction.fail` so that the write does not commit without its signal).
   */
  override async sendInTransaction<T>(signal: Signal<T>, payload: T, transaction: SignalTransaction): Promise<Error[]> {
    const relay = this.#relay;
    const outbox = this.options.outbox;
    if (relay === undefined || outbox === undefined) return super.sendInTransaction(signal, payload, transaction);
    // The send span covers writing the row; its context travels in the row, to the receivers.
    const span = startSendSpan(signal.name, this.options.messagingSystem);
    try {
      const envelope = encodeEnvelope(signal.name, payload, this.#sendContext(span));
      setMessageId(span, envelope.id);
      await outbox.store.write(transaction.executor, { id: envelope.id, signal: signal.name, json: envelope.json });
      transaction.afterCommit(() => relay.notify());
      endSpan(span);
      return [];
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new PublishError(signal.name, describeThrown(thrown), thrown);
      endSpan(span, error);
      transaction.fail(error);
      this.#logSendError(signal, error);
      return [error];
    }
  }

  /**
   * Publishes `payload` in an envelope and resolves once the broker has accepted it. No
   * receiver runs here: they run in consuming processes.
   *
   * @returns `[]` when the broker accepted the message; `[UnportablePayloadError]` (nothing
   *   published) for a payload JSON cannot carry; `[PublishError]` when the broker is down,
   *   too slow (`sendTimeoutMs`), refused the message or the backend is closed. The error is
   *   logged, as `Signal.send` promises, so that a caller that goes on does not lose it
   *   silently. Never rejects.
   */
  override async send<T>(signal: Signal<T>, payload: T): Promise<Error[]> {
    const span = startSendSpan(signal.name, this.options.messagingSystem);
    const error = await this.#publishOne(signal, payload, span);
    endSpan(span, error);
    if (error === undefined) return [];
    this.#logSendError(signal, error);
    return [error];
  }

  #logSendError<T>(signal: Signal<T>, error: Error): void {
    try {
      this.options.logger.error(error.message, { signal: signal.name, ...errorLogFields(error) });
    } catch {
      // A broken log transport must not turn a returned error into a rejected send.
    }
  }

  /**
   * Connects `receiver` under its stable name; in a consuming backend, its consumer starts.
   *
   * @returns true when added, false when it was already connected.
   * @throws ReceiverNamingError for an anonymous receiver, a receiver name used twice on one
   *   signal, or two Signal objects sharing a name.
   */
  override connect<T>(signal: Signal<T>, receiver: Receiver<T>, options?: ConnectOptions): boolean {
    const binding = this.#receivers.add(signal, receiver, options);
    if (binding === undefined) return false;
    this.#undeclared++;
    if (this.options.consume && !this.#closed) this.#consumersReady.set(binding, this.#start(binding));
    return true;
  }

  /** Disconnects `receiver` and stops its consumer here; its queue or group stays on the broker. */
  override disconnect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean {
    const binding = this.#receivers.remove(signal, receiver);
    if (binding === undefined) return false;
    if (!this.#declared.has(binding)) this.#undeclared--;
    this.#consumersReady.delete(binding);
    if (this.options.consume) {
      const stopping = this.stopConsumer(binding).catch((error: unknown) => {
        this.options.logger.warn(`The consumer of ${binding.name} did not stop cleanly: ${describeThrown(error)}`, errorLogFields(error));
      });
      this.#consumersStopping.add(stopping);
      void stopping.finally(() => this.#consumersStopping.delete(stopping));
    }
    return true;
  }

  /**
   * Resolves once the consumer of every receiver connected so far is set up on the broker
   * (consumer group created; queue declared, bound and consumed), so that a worker can log
   * that it is consuming and a test can send without racing the setup.
   *
   * @throws Error when that takes longer than `timeoutMs` (the broker is down, say).
   */
  async whenConsuming(timeoutMs = 10_000): Promise<void> {
    const ready = Promise.all(this.#consumersReady.values());
    await withTimeout(ready, timeoutMs, `The consumers were not ready within ${timeoutMs} ms`);
  }

  override receivers<T>(signal: Signal<T>): Receiver<T>[] {
    return [...this.#receivers.receivers(signal)];
  }

  /** The stable names the receivers of `signal` consume under (group or queue names), in connection order. */
  override receiverNames<T>(signal: Signal<T>): string[] {
    return this.#receivers
      .all()
      .filter((binding) => binding.signal === (signal as AnySignal))
      .map((binding) => binding.name);
  }

  /**
   * What waits on the broker for each receiver connected here, read from the broker (the
   * same figures whichever process asks): for listing the wiring, metrics and alerts.
   *
   * @throws the broker's error when it cannot be reached.
   */
  async backlog(): Promise<ReceiverBacklog[]> {
    return Promise.all(this.#receivers.all().map((binding) => this.receiverBacklog(binding)));
  }

  /** Where a signal's messages are published: a stream, or an exchange and routing key. */
  abstract destinationOf(signalName: string): string;

  /** Where dead letters go: a stream or a queue. */
  abstract get deadLetterDestination(): string;

  /**
   * How many messages sit in the dead letters.
   *
   * @throws the broker's error when it cannot be reached.
   */
  abstract deadLetterCount(): Promise<number>;

  /**
   * The dead letters that match `options`, newest first, at most `options.limit` (default 100):
   * which receiver failed, its last error, the attempts and the envelope.
   *
   * @throws the broker's error when it cannot be reached.
   */
  listDeadLetters(options?: DeadLetterListOptions): Promise<DeadLetterEntry[]> {
    return this.deadLetters.list(options);
  }

  /**
   * Sends every dead letter that matches `filter` again, to the receiver that failed on it
   * alone, as a first attempt with the same message id (so a receiver that de-duplicates on
   * `context.messageId` makes a replay safe), and removes it from the dead letters. A message
   * that was not a signal envelope, or whose receiver no longer has a group or queue, stays
   * and is listed in `skipped`. An empty filter replays them all.
   *
   * @throws the broker's error; what was replayed before it stays replayed.
   */
  replayDeadLetters(filter: DeadLetterFilter): Promise<DeadLetterReplay> {
    return this.deadLetters.replay(filter);
  }

  /**
   * Removes every dead letter that matches `filter` (an empty filter removes them all).
   *
   * @returns how many were removed.
   * @throws the broker's error.
   */
  deleteDeadLetters(filter: DeadLetterFilter): Promise<number> {
    return this.deadLetters.delete(filter);
  }

  /** Where this broker keeps its dead letters, and how it lists, replays and deletes them. */
  protected abstract get deadLetters(): DeadLetterStore;

  /** The backlog of one receiver; a queue or group that does not exist yet has none. */
  protected abstract receiverBacklog(binding: ReceiverBinding): Promise<ReceiverBacklog>;

  /**
   * Stops reading, lets receivers already running finish and ack, then closes the broker
   * connections. Sends after `close` return a PublishError. Safe to call twice.
   */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#relay?.stop();
    await Promise.all(this.#receivers.all().map((binding) => this.stopConsumer(binding)));
    await Promise.all(this.#consumersStopping);
    await this.closeConnections();
  }

  /**
   * Creates on the broker what every receiver connected here needs to get its messages
   * (RabbitMQ: its queue and binding; Redis: its consumer group), whether or not this process
   * consumes, so that a web process that starts before any worker loses nothing. A group or
   * queue created now gets the messages sent from now on. Called before every publish for the
   * receivers not declared yet; call it at start to declare early.
   *
   * @throws the broker's error; nothing is published until it succeeds.
   */
  declareReceivers(): Promise<void> {
    // Sends that start together share one round of declarations.
    this.#declaring ??= this.#declarePending().finally(() => (this.#declaring = undefined));
    return this.#declaring;
  }

  async #declarePending(): Promise<void> {
    const pending = this.#receivers.all().filter((binding) => !this.#declared.has(binding));
    if (pending.length === 0) return;
    await Promise.all(pending.map((binding) => this.declareReceiver(binding)));
    for (const binding of pending) this.#declared.add(binding);
    this.#undeclared = this.#receivers.all().filter((binding) => !this.#declared.has(binding)).length;
  }

  /** Every connected receiver binding. */
  protected bindings(): ReceiverBinding[] {
    return this.#receivers.all();
  }

  /** Creates the queue or group `binding` reads from, if it does not exist; idempotent. */
  protected abstract declareReceiver(binding: ReceiverBinding): Promise<void>;
  /** Publishes one envelope (`json`); resolves when the broker has accepted it, within `timeoutMs`. */
  protected abstract publish(message: PublishedMessage, json: string, timeoutMs: number): Promise<unknown>;
  /**
   * Starts consuming for `binding`; must not throw (connection trouble is retried and logged).
   *
   * @returns a promise that resolves, and never rejects, once the consumer is set up.
   */
  protected abstract startConsumer(binding: ReceiverBinding): Promise<void>;
  /** Stops the consumer of `binding` after its in-flight messages are settled. */
  protected abstract stopConsumer(binding: ReceiverBinding): Promise<void>;
  /** Closes every broker connection. */
  protected abstract closeConnections(): Promise<void>;

  async #start(binding: ReceiverBinding): Promise<void> {
    // A consumer runs for the life of the process, whoever connected its receiver.
    await runDetached(() => this.startConsumer(binding));
    try {
      const { signal, name } = binding;
      this.options.logger.info(`Consuming signal '${signal.name}' for receiver ${name}`, { signal: signal.name, receiver: name });
    } catch {
      // A broken log transport must not make the worker look as if it never started.
    }
  }

  async #publishOne<T>(signal: Signal<T>, payload: T, span: Span): Promise<Error | undefined> {
    if (this.#closed) return this.#sent(signal.name, undefined, new PublishError(signal.name, 'the backend is closed'));
    let envelope: SignalEnvelope & { json: string };
    try {
      envelope = encodeEnvelope(signal.name, payload, this.#sendContext(span));
      setMessageId(span, envelope.id);
    } catch (error) {
      const refused = error instanceof UnportablePayloadError ? error : new PublishError(signal.name, 'the envelope could not be encoded', error);
      return this.#sent(signal.name, undefined, refused);
    }
    const timeoutMs = this.options.sendTimeoutMs;
    try {
      const publishing = this.#undeclared === 0 ? this.publish(envelope, envelope.json, timeoutMs) : this.#declareThenPublish(envelope, timeoutMs);
      await this.#deadlines.race(publishing, timeoutMs, this.#sendTimeoutMessage);
      return this.#sent(signal.name, envelope.id, undefined);
    } catch (error) {
      return this.#sent(signal.name, envelope.id, asPublishError(signal.name, error));
    }
  }

  /** A batch from the outbox: every message accepted, or a rejection (the batch stays in the outbox). */
  async #publishStored(messages: OutboxMessage[]): Promise<void> {
    const timeoutMs = this.options.sendTimeoutMs;
    const message = `the broker did not accept it within ${timeoutMs} ms`;
    try {
      await withTimeout(this.declareReceivers(), timeoutMs, `the receivers' queues were not declared within ${timeoutMs} ms`);
    } catch (error) {
      if (this.options.onSent !== undefined) for (const stored of messages) this.#sent(stored.signal, stored.id, asPublishError(stored.signal, error));
      throw error;
    }
    await Promise.all(messages.map((stored) => this.#publishStoredOne(stored, this.#deadlines.race(this.publish(stored, stored.json, timeoutMs), timeoutMs, message))));
  }

  /** `publishing`, and with an `onSent` observer, the observer told how it went. */
  #publishStoredOne(stored: OutboxMessage, publishing: Promise<unknown>): Promise<unknown> {
    if (this.options.onSent === undefined) return publishing;
    return publishing.then(
      () => void this.#sent(stored.signal, stored.id, undefined),
      (error: unknown) => {
        this.#sent(stored.signal, stored.id, asPublishError(stored.signal, error));
        throw error;
      },
    );
  }

  /** Tells the `onSent` observer, if any, how a send went; returns `error`. */
  #sent(signalName: string, messageId: string | undefined, error: Error | undefined): Error | undefined {
    const observer = this.options.onSent;
    if (observer !== undefined) notifyObserver(observer, { signalName, messageId, error }, this.options.logger, signalName, 'onSent');
    return error;
  }

  async #declareThenPublish(envelope: SignalEnvelope & { json: string }, timeoutMs: number): Promise<void> {
    if (this.#undeclared > 0) {
      const started = Date.now();
      await this.declareReceivers();
      timeoutMs = Math.max(timeoutMs - (Date.now() - started), 1);
    }
    await this.publish(envelope, envelope.json, timeoutMs);
  }

  /** The request id from the `getContext` hook, and the trace context of the send's `span`. */
  #sendContext(span: Span): EnvelopeContext {
    const trace = injectTraceContext(span);
    let context: EnvelopeContext;
    try {
      context = this.options.getContext() ?? {};
    } catch {
      // A broken context hook must not cost the signal: it travels without a request id.
      context = {};
    }
    return trace === undefined ? context : { requestId: context.requestId, trace };
  }
}

function asPublishError(signalName: string, error: unknown): Error {
  return error instanceof PublishError ? error : new PublishError(signalName, describeThrown(error), error);
}

/** What waits on the broker for one receiver. */
export interface ReceiverBacklog {
  readonly signal: string;
  readonly receiver: string;
  /** The consumer group on its stream, or the queue, the receiver reads. */
  readonly source: string;
  /**
   * Messages not yet handed to the receiver (Redis: the group's lag; RabbitMQ: the queue's
   * ready messages); `undefined` when Redis cannot tell (entries deleted from the stream).
   */
  readonly waiting: number | undefined;
  /** Handed to a consumer and not yet acknowledged (Redis: the group's pending entries); `undefined` where the broker does not say (RabbitMQ). */
  readonly inProgress: number | undefined;
}

/** What `publish` needs of a message besides its JSON: its id and the signal it belongs to. */
export interface PublishedMessage {
  readonly id: string;
  readonly signal: string;
}
