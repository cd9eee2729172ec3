export interface ReadCacheOptions {
  /** How many entries to keep; the least recently used goes first. */
  readonly maxEntries?: number;
  /** How long an entry is served, as a backstop for a missed invalidation. */
  readonly ttlMs?: number;
  readonly clock?: () => number;
}

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * A small in-memory LRU cache with a TTL, in front of single-entity reads. Values are cloned
 * in and out, so a caller that mutates what it got cannot change what the next one sees.
 * Listeners invalidate entries when the entity changes.
 */
export class ReadCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #clock: () => number;
  #invalidations = 0;

  constructor(options: ReadCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#clock = options.clock ?? Date.now;
    if (!(Number.isSafeInteger(this.#maxEntries) && this.#maxEntries > 0)) {
      throw new RangeError(`maxEntries must be a positive integer, got ${String(this.#maxEntries)}`);
    }
    // Not a timer: any length is honoured, up to Infinity (entries never expire).
    if (!(this.#ttlMs > 0)) throw new RangeError(`ttlMs must be a number of milliseconds above 0, got ${String(this.#ttlMs)}`);
  }

  static key(entity: string, id: number): string {
    return `${entity}:${id}`;
  }

  get<T>(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#clock()) return undefined;
    this.#entries.set(key, entry); // re-inserted: now the most recently used
    return structuredClone(entry.value) as T;
  }

  /** Take one before reading the source, and pass it to `set`. */
  ticket(): number {
    return this.#invalidations;
  }

  /**
   * Stores `value`, unless an invalidation happened since `ticket` was taken: the value may
   * then have been read before the change and would be served stale.
   */
  set(key: string, value: unknown, ticket = this.#invalidations): void {
    if (ticket !== this.#invalidations) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value: structuredClone(value), expiresAt: this.#clock() + this.#ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): boolean {
    this.#invalidations++;
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#invalidations++;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
