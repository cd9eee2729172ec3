/**
 * One benchmark round's server, in its own process so that autocannon (in the parent) does
 * not share an event loop with the app. Run as `server.ts <A|B|C> <scrypt|stub>`: builds the
 * app on a fresh in-memory SQLite database, listens on 127.0.0.1 on a free port, sends
 * `{ port }` over IPC, and on `'stop'` answers with the row counts and exits.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildContainer, type Container } from '../../src/container.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { setBackend } from '../../src/signals/index.js';
import { VARIANTS, VARIANT_SPECS, appDeps, type VariantName } from './variants.js';

// Longer than one scrypt hash on a busy 2-core machine (about 0.3 s), so that a request
// still hashing when counting starts is waited for.
const SETTLE_POLLS = 5;
const SETTLE_POLL_MS = 200;

/** What the parent gets back after a round: proof of what the variant did. */
export interface RoundCounts {
  readonly users: number;
  readonly auditEvents: number;
  readonly mails: number;
}

async function countRows(container: Container): Promise<RoundCounts> {
  const { db } = container.connection;
  const count = async (table: 'users' | 'auditEvents'): Promise<number> =>
    Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { users: await count('users'), auditEvents: await count('auditEvents'), mails: container.mailbox?.list().length ?? 0 };
}

function parseVariant(value: string | undefined): VariantName {
  const variant = VARIANTS.find((name) => name === value);
  if (variant === undefined) throw new Error(`Expected a variant (${VARIANTS.join(', ')}), got ${value}`);
  return variant;
}

async function main(): Promise<void> {
  const variant = VARIANT_SPECS[parseVariant(process.argv[2])];
  // Warn level for every variant alike: nothing per request reaches the terminal, failures do.
  const logger = createLogger({ level: 'warn' });
  setBackend(variant.backend(logger));
  // Development, as `npm start` runs it: the welcome email lands in the dev mailbox.
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', NODE_ENV: 'development', LOG_LEVEL: 'warn' });
  const container = buildContainer(config, { logger });
  await migrateToLatest(container.connection);
  const app = createApp(appDeps(container, process.argv[3] === 'stub'));
  variant.afterCreate?.(app);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  process.once('message', () => void stop(server, container));
  process.send?.({ port: (server.address() as AddressInfo).port });
}

/**
 * autocannon drops its sockets at the end of a round with requests still in flight; their
 * hashes, inserts and receivers go on. Rows are counted once they stop changing, and the
 * database closed only then.
 */
async function settledCounts(container: Container): Promise<RoundCounts> {
  let previous = await countRows(container);
  for (let stable = 0; stable < SETTLE_POLLS; ) {
    await delay(SETTLE_POLL_MS);
    const counts = await countRows(container);
    stable = sameCounts(counts, previous) ? stable + 1 : 0;
    previous = counts;
  }
  return previous;
}

const sameCounts = (a: RoundCounts, b: RoundCounts): boolean =>
  a.users === b.users && a.auditEvents === b.auditEvents && a.mails === b.mails;

async function stop(server: Server, container: Container): Promise<void> {
  server.close();
  server.closeAllConnections();
  const counts = await settledCounts(container);
  await container.close();
  process.send?.({ counts }, () => process.exit(0));
}

await main();
