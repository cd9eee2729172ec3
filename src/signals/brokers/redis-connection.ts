import { createClient } from 'redis';
import type { SignalLogger } from '../logger.js';
import { runDetached } from '../detached.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import type { ThrottledWarnings } from './throttled-warnings.js';
import { withTimeout } from './timing.js';

/** How long the shared command connection may leave a PING unanswered before it is dropped as hung. */
const HUNG_AFTER_MS = 5000;
/** How often the shared command connection is PINGed while open. */
const WATCHDOG_INTERVAL_MS = 1000;

/** A node-redis client as `createClient` makes it. */
export type RedisClient = ReturnType<typeof createClient>;

/** How to reach Redis and how long to wait for it. */
export interface RedisConnectionOptions {
  readonly url: string;
  readonly connectTimeoutMs: number;
  readonly logger: SignalLogger;
  readonly warnings: ThrottledWarnings;
}

/**
 * Opens one client and waits at most `connectTimeoutMs` for it. Commands fail at once while
 * the client is disconnected (no offline queue), so nothing piles up in memory while Redis
 * is down. `reconnect: false` is for blocking readers, which are recreated instead.
 *
 * @throws Error when Redis does not answer in time; the half-open client is destroyed.
 */
export async function openRedisClient(
  options: RedisConnectionOptions,
  role: { readonly name: string; readonly reconnect: boolean },
): Promise<RedisClient> {
  let wasReady = false;
  const client = createClient({
    url: options.url,
    name: role.name,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      // Before the first success, a refused connection fails the send at once instead of
      // retrying until the deadline; afterwards the client reconnects by itself.
      reconnectStrategy: (retries, cause) =>
        role.reconnect && wasReady ? Math.min(100 * 2 ** retries, 2000) : cause,
    },
  });
  client.on('ready', () => {
    if (wasReady) options.warnings.recovered(role.name, `Redis connection ${role.name} is back`, { connection: role.name });
    wasReady = true;
  });
  client.on('error', (error: unknown) => {
    // A client that does not reconnect (a blocking reader) is recreated by its owner, which reports the failure.
    if (!role.reconnect) return;
    options.warnings.warn(role.name, `Redis connection ${role.name}: ${describeThrown(error)}`, { connection: role.name, ...errorLogFields(error) });
  });
  const connecting = client.connect();
  try {
    await withTimeout(connecting, options.connectTimeoutMs, `Redis at ${redactUrl(options.url)} did not answer`);
    return client;
  } catch (error) {
    connecting.catch(() => undefined);
    destroyQuietly(client);
    throw error;
  }
}

/** Drops the connection at once; a client that already closed itself is left alone. */
export function destroyQuietly(client: RedisClient | undefined): void {
  if (client?.isOpen) client.destroy();
}

/**
 * The shared, non-blocking command connection (XADD, XACK, XAUTOCLAIM...). Opened on first
 * use; when opening fails, the next call tries again, so a send during an outage returns an
 * error and a send after it works. Once open, the client reconnects by itself.
 */
export class RedisCommandConnection {
  readonly #options: RedisConnectionOptions;
  readonly #name: string;
  #opening: Promise<RedisClient> | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #ready: RedisClient | undefined;
  #closed = false;

  constructor(options: RedisConnectionOptions, name: string) {
    this.#options = options;
    this.#name = name;
  }

  /** The connected client. @throws Error when Redis cannot be reached within the connect timeout. */
  client(): Promise<RedisClient> {
    if (this.#closed) return Promise.reject(new Error('The Redis connection is closed'));
    return (this.#opening ??= this.#open());
  }

  /** The client when it is open and ready, without a promise; `undefined` otherwise (then use {@link client}). */
  ready(): RedisClient | undefined {
    const client = this.#ready;
    return client !== undefined && client.isReady && !this.#closed ? client : undefined;
  }

  #open(): Promise<RedisClient> {
    // Opened outside the caller's request: the connection outlives it (see runDetached).
    const opening = runDetached(() => openRedisClient(this.#options, { name: this.#name, reconnect: true }));
    opening.then(
      (client) => {
        this.#ready = client;
        this.#watch(client, opening);
      },
      () => {
        if (this.#opening === opening) this.#opening = undefined;
      },
    );
    return opening;
  }

  /**
   * A command that never hears back (a half-dead socket) would stall every caller for good.
   * Rather than a timer per command, one PING a second: unanswered for {@link HUNG_AFTER_MS},
   * the client is destroyed (its commands fail, their entries stay pending) and the next call
   * opens a new one.
   */
  #watch(client: RedisClient, opening: Promise<RedisClient>): void {
    let pinging = false;
    const watchdog = setInterval(() => {
      if (pinging || !client.isReady) return;
      pinging = true;
      client.sendCommand(['PING'], { timeout: HUNG_AFTER_MS }).then(
        () => (pinging = false),
        () => {
          clearInterval(watchdog);
          if (this.#opening === opening) this.#opening = undefined;
          if (this.#ready === client) this.#ready = undefined;
          this.#options.warnings.warn(this.#name, `Redis connection ${this.#name} did not answer a PING within ${HUNG_AFTER_MS} ms; reconnecting`, {
            connection: this.#name,
          });
          destroyQuietly(client);
        },
      );
    }, WATCHDOG_INTERVAL_MS);
    watchdog.unref();
    this.#watchdog = watchdog;
  }

  /** Closes the client, waiting for replies already asked for. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#watchdog);
    const opening = this.#opening;
    this.#opening = undefined;
    const client = await opening?.catch(() => undefined);
    await closeQuietly(client);
  }
}

/** Closes `client` gracefully when it is open; destroys it otherwise. Never rejects. */
export async function closeQuietly(client: RedisClient | undefined): Promise<void> {
  if (client === undefined) return;
  try {
    if (client.isOpen) await client.close();
  } catch {
    destroyQuietly(client);
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
