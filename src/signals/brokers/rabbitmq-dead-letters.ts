import { createHash } from 'node:crypto';
import type { Channel, Connection, SyncMessage } from 'rabbitmq-client';
import { asDeadLetterRecord, entryOfRecord, matchesDeadLetter, replayEnvelope, unreplayable, type DeadLetterEntry, type DeadLetterFilter, type DeadLetterListOptions, type DeadLetterReplay, type DeadLetterStore } from './dead-letters.js';
import { toEnvelope, type SignalEnvelope } from './envelope.js';
import { bodyText } from './rabbitmq-delivery.js';
import type { RabbitTopology } from './rabbitmq-topology.js';

/** Decides what a pass does with one dead letter; `connection` is the pass's own. */
type Judge = (entry: DeadLetterEntry, connection: Connection) => Promise<Verdict>;

/** What a pass over the queue does with one dead letter. */
type Verdict = { readonly action: 'keep' } | { readonly action: 'drop' } | { readonly action: 'replay'; readonly queue: string; readonly envelope: SignalEnvelope };

/**
 * The dead letters of a RabbitMQ backend: the messages of `<prefix>signals.dead-letters`.
 *
 * A queue cannot be read without taking its messages, and handing them back (a requeue)
 * counts as a delivery on a quorum queue, which RabbitMQ 4 may drop past its delivery limit.
 * So every operation is one pass over the queue: each message is taken (basic.get), then
 * published again at the tail (kept), to its receiver's queue (replayed) or nowhere
 * (deleted), confirmed by the broker, and only then acked. A pass stops after the messages
 * that were there when it started; a crash mid-pass leaves at most one copy of a message
 * twice (same {@link DeadLetterEntry.id}), never none. Passes in one process run one at a
 * time; one pass costs a few round trips per dead letter, so it is made for hundreds or
 * thousands, not millions.
 */
export class RabbitDeadLetters implements DeadLetterStore {
  #passes: Promise<unknown> = Promise.resolve();

  /**
   * @param open opens a connection for one pass, closed after it. It should disable Nagle's
   *   algorithm (`noDelay`): a pass writes an ack and then a get, and with Nagle the get waits
   *   for the server's delayed TCP ack of the ack, about 40 ms per dead letter.
   */
  constructor(
    private readonly open: () => Connection,
    private readonly topology: RabbitTopology,
  ) {}

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetterEntry[]> {
    const found: DeadLetterEntry[] = [];
    await this.#pass((entry) => {
      if (matchesDeadLetter(entry, options)) found.push(entry);
      return Promise.resolve({ action: 'keep' });
    });
    found.sort((a, b) => (b.deadLetteredAt ?? '').localeCompare(a.deadLetteredAt ?? ''));
    return found.slice(0, Math.max(options.limit ?? 100, 0));
  }

  async replay(filter: DeadLetterFilter): Promise<DeadLetterReplay> {
    const skipped: { id: string; reason: string }[] = [];
    let replayed = 0;
    const queues = new Map<string, boolean>();
    await this.#pass(async (entry, connection) => {
      if (!matchesDeadLetter(entry, filter)) return { action: 'keep' };
      const queue = this.topology.queue(entry.signal, entry.receiver);
      const reason = unreplayable(entry) ?? ((await queueExists(connection, queue, queues)) ? undefined : `queue ${queue} does not exist`);
      if (reason !== undefined || entry.envelope === undefined) {
        skipped.push({ id: entry.id, reason: reason ?? 'not replayable' });
        return { action: 'keep' };
      }
      replayed++;
      return { action: 'replay', queue, envelope: replayEnvelope(entry.envelope, entry.receiver) };
    });
    return { replayed, skipped };
  }

  async delete(filter: DeadLetterFilter): Promise<number> {
    let deleted = 0;
    await this.#pass((entry) => {
      if (!matchesDeadLetter(entry, filter)) return Promise.resolve({ action: 'keep' });
      deleted++;
      return Promise.resolve({ action: 'drop' });
    });
    return deleted;
  }

  /** Runs one pass after the passes already started in this process. */
  #pass(judge: Judge): Promise<void> {
    const pass = this.#passes.then(() => this.#run(judge));
    this.#passes = pass.catch(() => undefined);
    return pass;
  }

  async #run(judge: Judge): Promise<void> {
    const connection = this.open();
    try {
      await this.#runOn(connection, judge);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  async #runOn(connection: Connection, judge: Judge): Promise<void> {
    const queue = this.topology.deadLetterQueue;
    const count = await messageCount(connection, queue);
    if (count === 0) return;
    const channel = await connection.acquire();
    try {
      await channel.confirmSelect();
      // One message at a time, each copy confirmed before its original is acked: on a quorum
      // queue, acks sent for several messages held at once can be lost when the channel closes
      // right after them (RabbitMQ 3.10), which would leave the kept copies as duplicates.
      for (let taken = 0; taken < count; taken++) {
        const message = await channel.basicGet({ queue });
        if (message === undefined) return;
        const body = bodyText(message.body);
        await this.#settle(channel, message, body, await judge(parseDeadLetterMessage(message, body, this.topology), connection));
        channel.basicAck({ deliveryTag: message.deliveryTag });
      }
    } finally {
      // Closing returns a message taken and not acked (the pass failed) to the queue.
      if (channel.active) await channel.close().catch(() => undefined);
    }
  }

  /** Publishes what `verdict` asks for; resolves once the broker confirmed it. */
  async #settle(channel: Channel, message: SyncMessage, body: string, verdict: Verdict): Promise<void> {
    if (verdict.action === 'drop') return;
    if (verdict.action === 'replay') {
      const properties = { routingKey: verdict.queue, durable: true, messageId: verdict.envelope.id, contentType: 'application/json' };
      await channel.basicPublish(properties, Buffer.from(JSON.stringify(verdict.envelope)));
      return;
    }
    const { messageId, contentType, headers } = message;
    await channel.basicPublish({ routingKey: this.topology.deadLetterQueue, durable: true, messageId, contentType, headers: keptHeaders(headers) }, Buffer.from(body));
  }
}

/** The messages of `queue`; 0 when it does not exist. */
async function messageCount(connection: Connection, queue: string): Promise<number> {
  // A channel of its own: the broker closes the channel of a passive declare that finds no queue.
  const channel = await connection.acquire();
  try {
    return (await channel.queueDeclare({ queue, passive: true })).messageCount;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'NOT_FOUND') return 0;
    throw error;
  } finally {
    if (channel.active) await channel.close().catch(() => undefined);
  }
}

async function queueExists(connection: Connection, queue: string, known: Map<string, boolean>): Promise<boolean> {
  const cached = known.get(queue);
  if (cached !== undefined) return cached;
  const channel = await connection.acquire();
  let exists = true;
  try {
    await channel.queueDeclare({ queue, passive: true });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'NOT_FOUND') throw error;
    exists = false;
  } finally {
    if (channel.active) await channel.close().catch(() => undefined);
  }
  known.set(queue, exists);
  return exists;
}

/**
 * Reads one message of the dead-letter queue. Three kinds are found there: the record the
 * consumer writes after a receiver's last attempt (`DeadLetter`); an envelope the broker
 * dead-lettered itself, past the receiver queue's delivery limit (its `x-death` header names
 * that queue); and a message that was not an envelope, with the headers the consumer set.
 */
export function parseDeadLetterMessage(message: SyncMessage, body: string, topology: RabbitTopology): DeadLetterEntry {
  const headers = (message.headers ?? {}) as Record<string, unknown>;
  const parsed = parseJson(body);
  const record = asDeadLetterRecord(parsed);
  if (record !== undefined) return entryOfRecord(contentId(record.receiver, body), record);
  const envelope = asEnvelope(parsed);
  const death = firstDeath(headers);
  if (envelope !== undefined && death !== undefined) {
    const receiver = death.queue.slice(topology.queue(envelope.signal, '').length);
    return {
      id: contentId(receiver, body),
      signal: envelope.signal,
      receiver,
      messageId: envelope.id,
      attempts: Number(headers['x-delivery-count'] ?? death.count),
      error: { name: 'Error', message: `Dead-lettered by RabbitMQ (${death.reason}): delivered too often without finishing` },
      deadLetteredAt: death.time,
      envelope,
    };
  }
  const receiver = text(headers.receiver, '');
  return {
    id: contentId(receiver, body),
    signal: text(headers.signal, ''),
    receiver,
    messageId: undefined,
    attempts: Number(headers.attempts ?? 0),
    error: { name: 'Error', message: text(headers.error, 'not a signal envelope') },
    deadLetteredAt: typeof headers.deadLetteredAt === 'string' ? headers.deadLetteredAt : undefined,
    envelope: undefined,
    raw: body,
  };
}

/** A short stable id for a dead letter read from a queue: a hash of its receiver and body. */
function contentId(receiver: string, body: string): string {
  return createHash('sha256').update(receiver).update('\n').update(body).digest('hex').slice(0, 24);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function asEnvelope(value: unknown): SignalEnvelope | undefined {
  try {
    return toEnvelope(value);
  } catch {
    return undefined;
  }
}

/** The first entry of RabbitMQ's `x-death` header: which queue dead-lettered it, why, when. */
function firstDeath(headers: Record<string, unknown>): { queue: string; reason: string; count: number; time: string | undefined } | undefined {
  const deaths = headers['x-death'];
  if (!Array.isArray(deaths) || deaths.length === 0) return undefined;
  const death = deaths[0] as Record<string, unknown>;
  const time = death.time instanceof Date ? death.time.toISOString() : typeof death.time === 'number' ? new Date(death.time * 1000).toISOString() : undefined;
  return { queue: text(death.queue, ''), reason: text(death.reason, 'unknown'), count: Number(death.count ?? 1), time };
}

/** A header that should be text; `fallback` when it is missing or is not. */
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** The headers a kept copy carries: the broker's own (`x-…`) are set again by the broker, when at all. */
function keptHeaders(headers: SyncMessage['headers']): Record<string, unknown> | undefined {
  if (headers === undefined) return undefined;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'x-delivery-count'));
}
