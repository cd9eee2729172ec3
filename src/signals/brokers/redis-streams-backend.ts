import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BrokerBackend, type PublishedMessage, type ReceiverBacklog } from './broker-backend.js';
import { assertDuration } from '../duration.js';
import { assertPositiveInteger, type BrokerBackendOptions } from './broker-options.js';
import type { ReceiverBinding } from './broker-receivers.js';
import { RedisCommandConnection, type RedisClient, type RedisConnectionOptions } from './redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { RedisDeadLetters } from './redis-dead-letters.js';
import { createConsumerGroup, RedisStreamConsumer, type RedisConsumerTiming, type StreamStart } from './redis-stream-consumer.js';

/** Options of {@link RedisStreamsBackend}; see {@link BrokerBackendOptions} for the shared ones. */
export interface RedisStreamsBackendOptions extends BrokerBackendOptions, Partial<RedisConsumerTiming> {
  /** Default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** This process's name in every consumer group. Default: host, pid and a random suffix. */
  readonly consumerName?: string;
  /** When set, each XADD trims its stream to about this many entries (MAXLEN ~). Default: no trimming. */
  readonly maxStreamLength?: number;
  /**
   * Where the consumer group of a receiver that was never connected before starts: `'end'`
   * (the default) gets the messages sent from then on; `'beginning'` replays the stream's
   * history to it (every user ever created, say). A group that exists keeps its position.
   */
  readonly startFrom?: StreamStart;
}

// A dead consumer's entries are taken over within claimIdleMs + reclaimIntervalMs + blockMs: 18 s.
const DEFAULT_TIMING: RedisConsumerTiming = {
  blockMs: 1000,
  readTimeoutMarginMs: 2000,
  claimIdleMs: 15_000,
  reclaimIntervalMs: 2000,
  batchSize: 16,
  trimIntervalMs: 10_000,
};

/**
 * Signals across processes on Redis Streams (node-redis), at least once.
 *
 * A send is one XADD to `<prefix>stream:<signal>`; it resolves once Redis answered. Each
 * receiver reads the stream through its own consumer group, named after the receiver, so
 * every receiver gets every message and processes running the same receiver share them.
 * A failing receiver is retried in place with backoff (deliveries are counted in Redis, so
 * the count survives a crash) up to `maxAttempts`, then written to `<prefix>dead-letters`
 * and only then acked. Entries of a consumer that died are taken over after `claimIdleMs`.
 *
 * @example
 * // worker process: consumes
 * setBackend(new RedisStreamsBackend({ url: process.env.REDIS_URL, consume: true, logger }));
 * registerListeners(deps);
 * // web process: only sends
 * setBackend(new RedisStreamsBackend({ url: process.env.REDIS_URL, logger }));
 */
export class RedisStreamsBackend extends BrokerBackend {
  readonly #keys: RedisKeys;
  readonly #connection: RedisConnectionOptions;
  readonly #commands: RedisCommandConnection;
  readonly #timing: RedisConsumerTiming;
  readonly #consumerName: string;
  readonly #maxStreamLength: number | undefined;
  readonly #consumers = new Map<ReceiverBinding, RedisStreamConsumer>();
  readonly #startFrom: StreamStart;
  readonly #deadLetters: RedisDeadLetters;

  /** Connects nothing yet: the first send or the first consumer opens the connections. */
  constructor(options: RedisStreamsBackendOptions = {}) {
    super(options, 'redis');
    this.#keys = new RedisKeys(options.prefix ?? 'signals:');
    this.#timing = resolveTiming(options);
    this.#connection = {
      url: options.url ?? 'redis://127.0.0.1:6379',
      connectTimeoutMs: this.options.sendTimeoutMs,
      logger: this.options.logger,
      warnings: this.options.connectionWarnings,
    };
    this.#commands = new RedisCommandConnection(this.#connection, this.#keys.connectionName('commands'));
    this.#consumerName = options.consumerName ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#maxStreamLength = options.maxStreamLength;
    this.#startFrom = options.startFrom ?? 'end';
    this.#deadLetters = new RedisDeadLetters(() => this.#commands.client(), this.#keys);
    if (options.maxStreamLength !== undefined) assertPositiveInteger('maxStreamLength', options.maxStreamLength);
  }

  /** The Redis names this backend uses (streams, attempt hashes, the dead-letter stream). */
  get keys(): RedisKeys {
    return this.#keys;
  }

  override destinationOf(signalName: string): string {
    return `stream ${this.#keys.stream(signalName)}`;
  }

  override get deadLetterDestination(): string {
    return `stream ${this.#keys.deadLetters()}`;
  }

  override async deadLetterCount(): Promise<number> {
    return (await this.#commands.client()).xLen(this.#keys.deadLetters());
  }

  /** The dead letters: see {@link RedisDeadLetters} for how they are read, replayed and deleted. */
  protected override get deadLetters(): RedisDeadLetters {
    return this.#deadLetters;
  }

  protected override async receiverBacklog({ signal, name }: ReceiverBinding): Promise<ReceiverBacklog> {
    const client = await this.#commands.client();
    const stream = this.#keys.stream(signal.name);
    const groups = (await client.exists(stream)) === 0 ? [] : await client.xInfoGroups(stream);
    const group = groups.find((candidate) => String(candidate.name) === name);
    const lag = group?.lag;
    return {
      signal: signal.name,
      receiver: name,
      source: `group ${name} of ${stream}`,
      waiting: group === undefined ? 0 : lag === null || lag === undefined ? undefined : Number(lag),
      inProgress: group === undefined ? 0 : Number(group.pending),
    };
  }

  protected override async declareReceiver({ signal, name }: ReceiverBinding): Promise<void> {
    await createConsumerGroup(await this.#commands.client(), this.#keys.stream(signal.name), name, this.#startFrom);
  }

  /**
   * One XADD on the shared command connection. The send's deadline is kept by the caller, with
   * no timer per command: a command still queued when Redis hangs is dropped with the
   * connection by its watchdog (within about 6 s), never written later.
   */
  protected override publish(envelope: PublishedMessage, json: string): Promise<unknown> {
    const ready = this.#commands.ready();
    if (ready !== undefined) return this.#xAdd(ready, envelope.signal, json);
    return this.#commands.client().then((client) => this.#xAdd(client, envelope.signal, json));
  }

  #xAdd(client: RedisClient, signalName: string, json: string): Promise<unknown> {
    const stream = this.#keys.stream(signalName);
    const trim = this.#maxStreamLength;
    // The raw command: node-redis's XADD helper parses an options object per call.
    const args = trim === undefined ? ['XADD', stream, '*', 'envelope', json] : ['XADD', stream, 'MAXLEN', '~', String(trim), '*', 'envelope', json];
    return client.sendCommand(args);
  }

  protected override startConsumer(binding: ReceiverBinding): Promise<void> {
    const identity = {
      binding,
      stream: this.#keys.stream(binding.signal.name),
      group: binding.name,
      consumer: this.#consumerName,
    };
    const consumer = new RedisStreamConsumer(identity, this.#commands, this.#connection, this.#timing, this.#keys, this.options, this.#startFrom);
    this.#consumers.set(binding, consumer);
    consumer.run();
    return consumer.ready;
  }

  protected override async stopConsumer(binding: ReceiverBinding): Promise<void> {
    const consumer = this.#consumers.get(binding);
    this.#consumers.delete(binding);
    await consumer?.stop();
  }

  protected override closeConnections(): Promise<void> {
    return this.#commands.close();
  }
}

function resolveTiming(options: Partial<RedisConsumerTiming>): RedisConsumerTiming {
  const timing = { ...DEFAULT_TIMING };
  for (const key of Object.keys(DEFAULT_TIMING) as (keyof RedisConsumerTiming)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (key === 'batchSize') assertPositiveInteger(key, value);
    else assertDuration(key, value);
    timing[key] = value;
  }
  return timing;
}
