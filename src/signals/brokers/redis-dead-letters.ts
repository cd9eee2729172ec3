import { asDeadLetterRecord, entryOfRecord, matchesDeadLetter, replayEnvelope, unreplayable, type DeadLetterEntry, type DeadLetterFilter, type DeadLetterListOptions, type DeadLetterReplay, type DeadLetterStore } from './dead-letters.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { StreamEntry } from './redis-delivery.js';
import type { DeadLetter } from './receiver-invoker.js';

/** Entries read per XREVRANGE while scanning the dead-letter stream. */
const PAGE = 500;

/**
 * Deletes dead letter ARGV[1] from KEYS[1] and, only if it was there, appends envelope ARGV[2]
 * to stream KEYS[2]: atomic, so two replays at once (two dashboards, a dashboard and the command
 * line) send each dead letter once, and a dead letter deleted meanwhile is not sent at all.
 */
const REPLAY_SCRIPT = `if redis.call('XDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('XADD', KEYS[2], '*', 'envelope', ARGV[2])
  return 1
end
return 0`;

/**
 * The dead letters of a Redis Streams backend: the entries of `<prefix>dead-letters`, read
 * newest first. A replay deletes the dead letter and appends the envelope, addressed to its
 * receiver alone, to the signal's stream in one script, so it is never both replayed and kept,
 * nor lost, nor replayed twice.
 */
export class RedisDeadLetters implements DeadLetterStore {
  constructor(
    private readonly client: () => Promise<RedisClient>,
    private readonly keys: RedisKeys,
  ) {}

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetterEntry[]> {
    const limit = options.limit ?? 100;
    const found: DeadLetterEntry[] = [];
    if (limit <= 0) return found;
    for await (const entry of this.#matching(options)) {
      found.push(entry);
      if (found.length >= limit) break;
    }
    return found;
  }

  async replay(filter: DeadLetterFilter): Promise<DeadLetterReplay> {
    const client = await this.client();
    const skipped: { id: string; reason: string }[] = [];
    let replayed = 0;
    const groups = new Map<string, Set<string>>();
    for (const entry of await this.#all(filter)) {
      const reason = unreplayable(entry) ?? (await this.#missingGroup(client, entry, groups));
      if (reason !== undefined || entry.envelope === undefined) {
        skipped.push({ id: entry.id, reason: reason ?? 'not replayable' });
        continue;
      }
      const json = JSON.stringify(replayEnvelope(entry.envelope, entry.receiver));
      const keys = [this.keys.deadLetters(), this.keys.stream(entry.signal)];
      // 0: another replay or a delete took it since it was read; it is not sent twice.
      if ((await client.eval(REPLAY_SCRIPT, { keys, arguments: [entry.id, json] })) === 1) replayed++;
    }
    return { replayed, skipped };
  }

  async delete(filter: DeadLetterFilter): Promise<number> {
    const client = await this.client();
    const ids = (await this.#all(filter)).map((entry) => entry.id);
    let deleted = 0;
    for (let start = 0; start < ids.length; start += PAGE) deleted += await client.xDel(this.keys.deadLetters(), ids.slice(start, start + PAGE));
    return deleted;
  }

  async #all(filter: DeadLetterFilter): Promise<DeadLetterEntry[]> {
    const found: DeadLetterEntry[] = [];
    for await (const entry of this.#matching(filter)) found.push(entry);
    return found;
  }

  /** The receiver's consumer group is gone (renamed, deleted): a replay would reach no one. */
  async #missingGroup(client: RedisClient, entry: DeadLetterEntry, known: Map<string, Set<string>>): Promise<string | undefined> {
    const stream = this.keys.stream(entry.signal);
    let groups = known.get(stream);
    if (groups === undefined) {
      groups = new Set((await client.exists(stream)) === 0 ? [] : (await client.xInfoGroups(stream)).map((group) => String(group.name)));
      known.set(stream, groups);
    }
    return groups.has(entry.receiver) ? undefined : `no consumer group ${entry.receiver} reads ${stream}`;
  }

  async *#matching(filter: DeadLetterFilter): AsyncGenerator<DeadLetterEntry> {
    const client = await this.client();
    const key = this.keys.deadLetters();
    let end = '+';
    for (;;) {
      const page = await client.xRevRange(key, end, '-', { COUNT: PAGE });
      for (const raw of page) {
        const entry = parseDeadLetter(raw);
        if (matchesDeadLetter(entry, filter)) yield entry;
      }
      const last = page.at(-1);
      if (page.length < PAGE || last === undefined) return;
      end = `(${last.id}`;
    }
  }
}

/** One entry of the dead-letter stream, as the consumer wrote it (`RedisDelivery`). */
export function parseDeadLetter({ id, message }: StreamEntry): DeadLetterEntry {
  const fields = message as Readonly<Record<string, string | undefined>>;
  const record = parseRecord(fields.deadLetter);
  const fallback = { name: 'Error', message: fields.error ?? 'unknown' };
  if (record === undefined) {
    return {
      id,
      signal: fields.signal ?? '',
      receiver: fields.receiver ?? '',
      messageId: undefined,
      attempts: Number(fields.attempts ?? 0),
      error: fallback,
      deadLetteredAt: timeOfEntry(id),
      envelope: undefined,
      raw: fields.raw ?? JSON.stringify(message),
    };
  }
  return entryOfRecord(id, record);
}

function parseRecord(text: string | undefined): DeadLetter | undefined {
  if (text === undefined) return undefined;
  try {
    return asDeadLetterRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** A stream entry id starts with the milliseconds it was added at. */
function timeOfEntry(id: string): string | undefined {
  const ms = Number(id.split('-')[0]);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}
