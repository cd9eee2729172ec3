import { addDurations } from '../duration.js';
import type { ResolvedBrokerOptions } from './broker-options.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import { closeQuietly, destroyQuietly, openRedisClient, type RedisClient, type RedisCommandConnection, type RedisConnectionOptions } from './redis-connection.js';
import { RedisDelivery, type RedisConsumerIdentity, type StreamEntry } from './redis-delivery.js';
import type { RedisKeys } from './redis-keys.js';
import { trimAcknowledged } from './redis-stream-trim.js';
import { AbortableDelays, withTimeout } from './timing.js';

/** Timing of one consumer loop. */
export interface RedisConsumerTiming {
  /** XREADGROUP BLOCK, in ms. */
  readonly blockMs: number;
  /** A read still unanswered this long after its block ended is hung: the watchdog recreates the connection. */
  readonly readTimeoutMarginMs: number;
  /**
   * Entries pending longer than this in another consumer are taken over (XAUTOCLAIM). The
   * entries this consumer is still handling are claimed again every third of it, so a long
   * receiver keeps its entries and is not run twice.
   */
  readonly claimIdleMs: number;
  /** How often to look for such entries. */
  readonly reclaimIntervalMs: number;
  /** Entries handled at once; reads (COUNT) only fill the free places. */
  readonly batchSize: number;
  /** How often to trim the stream of what every group has acknowledged. */
  readonly trimIntervalMs: number;
}

/** Where a new consumer group starts: at the end of the stream (`$`, the default) or at its start (`0`). */
export type StreamStart = 'end' | 'beginning';

/** Creates `group` on `stream` (and the stream) unless it exists; an existing group keeps its position. */
export async function createConsumerGroup(client: RedisClient, stream: string, group: string, start: StreamStart): Promise<void> {
  try {
    await client.xGroupCreate(stream, group, start === 'end' ? '$' : '0', { MKSTREAM: true });
  } catch (error) {
    if (!describeThrown(error).includes('BUSYGROUP')) throw error;
  }
}

/**
 * Reads one receiver's consumer group of one stream, on a blocking connection of its own.
 * Every connection problem (a killed connection, a hung read, Redis restarting) is handled
 * the same way: destroy the reader, wait a moment, open a new one; nothing read is lost,
 * since unacked entries stay pending and are reclaimed.
 */
export class RedisStreamConsumer {
  readonly #stopping = new AbortController();
  readonly #delays = new AbortableDelays(this.#stopping.signal);
  readonly #delivery: RedisDelivery;
  #running: Promise<void> | undefined;
  #markReady: () => void = () => undefined;
  /** Resolves once the consumer group exists and the first read can start. Never rejects. */
  readonly ready = new Promise<void>((resolve) => {
    this.#markReady = resolve;
  });
  /** Entries being handled, by id: at most `batchSize`; new reads only fill free places. */
  readonly #inFlight = new Map<string, Promise<void>>();
  #lastReclaim = 0;
  #lastTrim = 0;
  #reclaimCursor = '0-0';
  /** Resolves the loop's wait when it found every place taken. */
  #wakeOnFreePlace: (() => void) | undefined;
  /** A warning was logged since the last successful read. */
  #troubled = false;

  constructor(
    private readonly identity: RedisConsumerIdentity,
    private readonly commands: RedisCommandConnection,
    private readonly connection: RedisConnectionOptions,
    private readonly timing: RedisConsumerTiming,
    keys: RedisKeys,
    private readonly options: ResolvedBrokerOptions,
    private readonly start: StreamStart = 'end',
  ) {
    this.#delivery = new RedisDelivery(identity, keys, options, this.#delays);
  }

  /** Starts the loop; it runs until {@link stop}. */
  run(): void {
    this.#running ??= this.#run();
  }

  /**
   * Stops reading after the current read (at most `blockMs`) and waits for the entries being
   * handled. An entry waiting out a retry backoff stays pending, for another consumer.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const renewing = setInterval(() => void this.#renewClaims(), Math.max(Math.floor(this.timing.claimIdleMs / 3), 50));
    try {
      await this.#consume();
    } finally {
      clearInterval(renewing);
    }
  }

  async #consume(): Promise<void> {
    let reader: RedisClient | undefined;
    while (!this.#stopping.signal.aborted) {
      try {
        reader ??= await this.#openReader();
        this.#markReady();
        const commands = this.commands.ready() ?? (await this.commands.client());
        if (this.#inFlight.size >= this.timing.batchSize) {
          await new Promise<void>((resolve) => (this.#wakeOnFreePlace = resolve));
          continue;
        }
        const now = Date.now();
        if (now - this.#lastReclaim >= this.timing.reclaimIntervalMs) await this.#reclaim(commands);
        if (now - this.#lastTrim >= this.timing.trimIntervalMs) await this.#trim(commands);
        this.#dispatch(commands, await this.#read(reader), true);
        if (this.#troubled) {
          this.#troubled = false;
          this.options.connectionWarnings.recovered(this.#source, `Redis consumer ${this.identity.group} reads again`, {
            stream: this.identity.stream,
            group: this.identity.group,
          });
        }
      } catch (error) {
        this.#logTrouble(error);
        destroyQuietly(reader);
        reader = undefined;
        await this.#delays.sleep(Math.min(1000, this.timing.blockMs));
      }
    }
    await Promise.all(this.#inFlight.values());
    await this.#delivery.flushed();
    await closeQuietly(reader);
  }

  /** Handles entries without waiting for them, so that one slow retry does not hold up the rest. */
  #dispatch(commands: RedisClient, entries: readonly StreamEntry[], fresh: boolean): void {
    for (const entry of entries) {
      // XAUTOCLAIM can hand back an entry this consumer is still working on.
      if (this.#inFlight.has(entry.id)) continue;
      const handling = this.#delivery.handle(commands, entry, fresh, this.#onSettled);
      this.#inFlight.set(entry.id, handling);
    }
  }

  /** An entry is done: its place is free, and a loop waiting for one goes on. */
  readonly #onSettled = (id: string): void => this.#settled(id);

  #settled(id: string): void {
    this.#inFlight.delete(id);
    const wake = this.#wakeOnFreePlace;
    this.#wakeOnFreePlace = undefined;
    wake?.();
  }

  get #freePlaces(): number {
    return Math.max(1, this.timing.batchSize - this.#inFlight.size);
  }

  async #openReader(): Promise<RedisClient> {
    const name = `${this.identity.stream}:${this.identity.group}:reader`.replace(/[^\w.:@-]/g, '_');
    const reader = await openRedisClient(this.connection, { name, reconnect: false });
    await createConsumerGroup(reader, this.identity.stream, this.identity.group, this.start);
    return reader;
  }

  /** The watchdog: a read unanswered past its block plus the margin is given up, and the connection with it. */
  async #read(reader: RedisClient): Promise<StreamEntry[]> {
    const { blockMs, readTimeoutMarginMs } = this.timing;
    const { stream, group, consumer } = this.identity;
    const reading = reader.xReadGroup(group, consumer, { key: stream, id: '>' }, { COUNT: this.#freePlaces, BLOCK: blockMs });
    reading.catch(() => undefined);
    const hungAfterMs = addDurations(blockMs, readTimeoutMarginMs);
    const reply = await withTimeout(reading, hungAfterMs, `XREADGROUP hung for more than ${hungAfterMs} ms`);
    return toEntries(reply);
  }

  async #reclaim(commands: RedisClient): Promise<void> {
    this.#lastReclaim = Date.now();
    const { stream, group, consumer } = this.identity;
    const { claimIdleMs } = this.timing;
    const claimed = await commands.xAutoClaim(stream, group, consumer, claimIdleMs, this.#reclaimCursor, { COUNT: this.#freePlaces });
    this.#reclaimCursor = String(claimed.nextId);
    const entries = claimed.messages.filter((entry) => entry !== null).map((entry) => toEntry(entry));
    if (claimed.deletedMessages.length > 0) await commands.xAck(stream, group, claimed.deletedMessages.map(String));
    this.#dispatch(commands, entries, false);
  }

  /** Resets the idle time of the entries in hand, so that no other consumer takes them over. */
  async #renewClaims(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const { stream, group, consumer } = this.identity;
    try {
      const commands = await this.commands.client();
      await commands.xClaimJustId(stream, group, consumer, 0, [...this.#inFlight.keys()]);
    } catch (error) {
      // The next renewal tries again; if the entries are taken over meanwhile, they run twice (at least once).
      this.#logTrouble(error);
    }
  }

  async #trim(commands: RedisClient): Promise<void> {
    this.#lastTrim = Date.now();
    try {
      await trimAcknowledged(commands, this.identity.stream);
    } catch (error) {
      this.#logTrouble(error);
    }
  }

  get #source(): string {
    return `consumer ${this.identity.stream} ${this.identity.group}`;
  }

  #logTrouble(error: unknown): void {
    if (this.#stopping.signal.aborted) return;
    this.#troubled = true;
    this.options.connectionWarnings.warn(this.#source, `Redis consumer ${this.identity.group} reconnects: ${describeThrown(error)}`, {
      stream: this.identity.stream,
      group: this.identity.group,
      consumer: this.identity.consumer,
      ...errorLogFields(error),
    });
  }
}

interface RawEntry {
  readonly id: unknown;
  readonly message: unknown;
}

function toEntries(reply: unknown): StreamEntry[] {
  const entries: StreamEntry[] = [];
  if (!Array.isArray(reply)) return entries;
  // A loop rather than flatMap/filter/map: this runs for every read.
  for (const stream of reply as { messages?: unknown }[]) {
    if (!Array.isArray(stream.messages)) continue;
    for (const raw of stream.messages as (RawEntry | null)[]) if (raw !== null) entries.push(toEntry(raw));
  }
  return entries;
}

function toEntry(raw: RawEntry): StreamEntry {
  return { id: String(raw.id), message: (raw.message ?? {}) as Record<string, string> };
}
