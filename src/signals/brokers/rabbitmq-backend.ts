import { Connection, type Consumer, type ConsumerProps, type Publisher } from 'rabbitmq-client';
import { runDetached } from '../detached.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import { BrokerBackend, type PublishedMessage, type ReceiverBacklog } from './broker-backend.js';
import { assertPositiveInteger, type BrokerBackendOptions } from './broker-options.js';
import type { ReceiverBinding } from './broker-receivers.js';
import { PublishError } from './errors.js';
import { RabbitDelivery } from './rabbitmq-delivery.js';
import { RabbitDeadLetters } from './rabbitmq-dead-letters.js';
import { RabbitTopology, type RabbitQueueType } from './rabbitmq-topology.js';

/** Options of {@link RabbitMQBackend}; see {@link BrokerBackendOptions} for the shared ones. */
export interface RabbitMQBackendOptions extends BrokerBackendOptions {
  /** Default `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url?: string;
  /** Receiver and dead-letter queues: `quorum` (default, RabbitMQ 3.8+) or `classic` for older servers. */
  readonly queueType?: RabbitQueueType;
  /** Messages one receiver handles at once in this process (prefetch and concurrency). Default 16. */
  readonly prefetch?: number;
}

interface ConsumerParts {
  readonly consumer: Consumer;
  readonly publisher: Publisher;
}

/**
 * Signals across processes on RabbitMQ (rabbitmq-client), at least once.
 *
 * A send publishes to the direct exchange `<prefix>signals` with the signal name as routing
 * key, `mandatory` and with publisher confirms: it resolves once the broker confirmed, and
 * a message no queue is bound for (no receiver was ever started) is an error, not a silent
 * drop. Each receiver has its own durable queue `<prefix>signal.<signal>.<receiver>`, so
 * every receiver gets every message and processes running one receiver share its queue.
 * Failures go through a retry queue with backoff, counted in the envelope, and after
 * `maxAttempts` deliveries to `<prefix>signals.dead-letters`; a consumer that dies returns
 * its unacked messages to the queue. The client reconnects and re-declares by itself.
 */
export class RabbitMQBackend extends BrokerBackend {
  readonly #topology: RabbitTopology;
  readonly #url: string;
  readonly #prefetch: number;
  readonly #consumers = new Map<ReceiverBinding, ConsumerParts>();
  readonly #returned = new Set<string>();
  #connection: Connection | undefined;
  #publisher: Publisher | undefined;
  #turn: Promise<void> | undefined;
  readonly #deadLetters: RabbitDeadLetters;

  /** Connects nothing yet: the first send or the first consumer opens the connection. */
  constructor(options: RabbitMQBackendOptions = {}) {
    super(options, 'rabbitmq');
    this.#topology = new RabbitTopology(options.prefix ?? '', options.queueType ?? 'quorum', this.options.maxAttempts);
    this.#url = options.url ?? 'amqp://guest:guest@127.0.0.1:5672';
    this.#prefetch = options.prefetch ?? 16;
    assertPositiveInteger('prefetch', this.#prefetch);
    this.#deadLetters = new RabbitDeadLetters(() => this.#openPassConnection(), this.#topology);
  }

  override destinationOf(signalName: string): string {
    return `exchange ${this.#topology.exchange}, routing key ${signalName}`;
  }

  override get deadLetterDestination(): string {
    return `queue ${this.#topology.deadLetterQueue}`;
  }

  override deadLetterCount(): Promise<number> {
    return this.#readyMessages(this.#topology.deadLetterQueue);
  }

  /** The dead letters: one pass over their queue per operation; see {@link RabbitDeadLetters} for its cost. */
  protected override get deadLetters(): RabbitDeadLetters {
    return this.#deadLetters;
  }

  protected override async receiverBacklog({ signal, name }: ReceiverBinding): Promise<ReceiverBacklog> {
    const queue = this.#topology.queue(signal.name, name);
    return { signal: signal.name, receiver: name, source: `queue ${queue}`, waiting: await this.#readyMessages(queue), inProgress: undefined };
  }

  /** The ready messages of `queue` (a passive declare); 0 when it does not exist yet. */
  async #readyMessages(queue: string): Promise<number> {
    // A channel of its own: the broker closes the channel of a passive declare that finds no queue.
    const channel = await this.#connect().acquire();
    try {
      const { messageCount } = await channel.queueDeclare({ queue, passive: true });
      return messageCount;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'NOT_FOUND') return 0;
      throw error;
    } finally {
      if (channel.active) await channel.close().catch(() => undefined);
    }
  }

  /** The exchange and queue names this backend uses. */
  get topology(): RabbitTopology {
    return this.#topology;
  }

  protected override async declareReceiver({ signal, name }: ReceiverBinding): Promise<void> {
    const connection = this.#connect();
    await connection.exchangeDeclare(this.#topology.exchangeDeclaration());
    await connection.queueDeclare(this.#topology.queueDeclaration(this.#topology.deadLetterQueue));
    await connection.queueDeclare(this.#topology.receiverQueueDeclaration(signal.name, name));
    await connection.queueBind(this.#topology.binding(signal.name, name));
  }

  protected override async publish(envelope: PublishedMessage, json: string): Promise<void> {
    const publisher = this.#sendPublisher();
    const properties = { exchange: this.#topology.exchange, routingKey: envelope.signal, mandatory: true, durable: true, messageId: envelope.id, contentType: 'application/json' };
    try {
      await publisher.send(properties, Buffer.from(json));
      // The broker acks an unroutable message right after returning it, and the client emits
      // the return on setImmediate: one more turn lets it land before we look. The sends
      // confirmed in one tick share that turn.
      await this.#nextTurn();
      if (this.#returned.has(envelope.id)) {
        throw new PublishError(envelope.signal, 'no queue is bound for it (no receiver has ever consumed it): the broker returned it');
      }
    } finally {
      this.#returned.delete(envelope.id);
    }
  }

  protected override startConsumer(binding: ReceiverBinding): Promise<void> {
    const { signal, name } = binding;
    const publisher = this.#connect().createPublisher({
      confirm: true,
      queues: [this.#topology.retryQueueDeclaration(signal.name, name), this.#topology.queueDeclaration(this.#topology.deadLetterQueue)],
    });
    const delivery = new RabbitDelivery(binding, this.#topology, publisher, this.options);
    const consumer = this.#connect().createConsumer(this.#consumerProps(binding), delivery.handle);
    const queue = this.#topology.queue(signal.name, name);
    consumer.on('error', (error: unknown) => this.#warn(`consumer ${queue}`, `RabbitMQ consumer of ${queue}: ${describeThrown(error)}`, error));
    consumer.on('ready', () => this.options.connectionWarnings.recovered(`consumer ${queue}`, `RabbitMQ consumer of ${queue} is back`));
    this.#consumers.set(binding, { consumer, publisher });
    return new Promise((resolve) => consumer.once('ready', resolve));
  }

  /** Declares and binds the receiver's queue on every (re)connect; acks come from the handler. */
  #consumerProps({ signal, name }: ReceiverBinding): ConsumerProps {
    const queue = this.#topology.queue(signal.name, name);
    return {
      queue,
      queueOptions: this.#topology.receiverQueueDeclaration(signal.name, name),
      qos: { prefetchCount: this.#prefetch },
      concurrency: this.#prefetch,
      exchanges: [this.#topology.exchangeDeclaration()],
      queueBindings: [this.#topology.binding(signal.name, name)],
      requeue: true,
    };
  }

  /** Closing a consumer waits for its running handlers, which ack before they return. */
  protected override async stopConsumer(binding: ReceiverBinding): Promise<void> {
    const parts = this.#consumers.get(binding);
    this.#consumers.delete(binding);
    if (parts === undefined) return;
    await parts.consumer.close();
    await parts.publisher.close();
  }

  protected override async closeConnections(): Promise<void> {
    // A publisher whose channel never opened rejects its close with that old failure (the
    // broker was unreachable): there is nothing left to close, and closing must not fail for it.
    await this.#publisher?.close().catch(() => undefined);
    await this.#connection?.close();
  }

  #nextTurn(): Promise<void> {
    this.#turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.#turn = undefined;
        resolve();
      }),
    );
    return this.#turn;
  }

  #sendPublisher(): Publisher {
    if (this.#publisher !== undefined) return this.#publisher;
    const connection = this.#connect();
    const publisher = runDetached(() => connection.createPublisher({ confirm: true, exchanges: [this.#topology.exchangeDeclaration()] }));
    publisher.on('basic.return', (message) => {
      if (message.messageId !== undefined) this.#returned.add(message.messageId);
    });
    this.#publisher = publisher;
    return publisher;
  }

  /** A connection of its own for one pass over the dead letters, without Nagle's delay (see RabbitDeadLetters). */
  #openPassConnection(): Connection {
    const timeoutMs = this.options.sendTimeoutMs;
    const connection = runDetached(() => new Connection({ url: this.#url, connectionTimeout: timeoutMs, acquireTimeout: timeoutMs, retryLow: 100, retryHigh: 2000, noDelay: true }));
    // Its failures reject the pass's own calls; the event must not go unheard.
    connection.on('error', () => undefined);
    return connection;
  }

  #connect(): Connection {
    if (this.#connection !== undefined) return this.#connection;
    const timeoutMs = this.options.sendTimeoutMs;
    // Opened outside the caller's request: the connection outlives it (see runDetached).
    const connection = runDetached(
      () => new Connection({ url: this.#url, connectionTimeout: timeoutMs, acquireTimeout: timeoutMs, retryLow: 100, retryHigh: 2000 }),
    );
    connection.on('error', (error: unknown) => this.#warn('connection', `RabbitMQ connection: ${describeThrown(error)}`, error));
    connection.on('connection', () => this.options.connectionWarnings.recovered('connection', 'RabbitMQ connection is back'));
    this.#connection = connection;
    return connection;
  }

  #warn(source: string, message: string, error: unknown): void {
    this.options.connectionWarnings.warn(source, message, { broker: 'rabbitmq', ...errorLogFields(error) });
  }
}
