import { createClient } from 'redis';
import type { SignalLogger } from '../logger.js';
import { runDetached } from '../detached.js';
import { describeThrown, errorLogFields } from '../error-fields.js';
import type { ThrottledWarnings } from './throttled-warnings.js';
import { withTimeout } from './timing.js';

/** How long a non-blocking command may take on the shared command connection. */
const COMMAND_TIMEOUT_MS = 5000;

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
  role: { readonly name: string; readonly reconnect: boolean; readonly commandTimeoutMs?: number },
): Promise<RedisClient> {
  let wasReady = false;
  const client = createClient({
    url: options.url,
    name: role.name,
    disableOfflineQueue: true,
    commandOptions: role.commandTimeoutMs === undefined ? undefined : { timeout: role.commandTimeoutMs },
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
  #closed = false;

  constructor(options: RedisConnectionOptions, name: string) {
    this.#options = options;
    this.#name = name;
  }

  /** The connected client. @throws Error when Redis cannot be reached within the connect timeout. */
  client(): Promise<RedisClient> {
    if (this.#closed) return Promise.reject(new Error('The Redis connection is closed'));
    // A command that never hears back (a half-dead socket) would stall a consumer for good.
    // Opened outside the caller's request: the connection outlives it (see runDetached).
    this.#opening ??= runDetached(() =>
      openRedisClient(this.#options, { name: this.#name, reconnect: true, commandTimeoutMs: COMMAND_TIMEOUT_MS }),
    );
    const opening = this.#opening;
    opening.catch(() => {
      if (this.#opening === opening) this.#opening = undefined;
    });
    return opening;
  }

  /** Closes the client, waiting for replies already asked for. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
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
