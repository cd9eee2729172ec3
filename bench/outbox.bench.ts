// The outbox: how long from a commit until the broker holds the message, and how many rows a
// relay moves per second. Needs PostgreSQL (TEST_DATABASE_URL or DATABASE_URL) and Redis (REDIS_URL).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { createClient } from 'redis';
import { connectDatabase, type DatabaseConnection } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { inTransaction } from '../src/db/transaction.js';
import { RedisStreamsBackend } from '../src/signals/brokers/index.js';
import { setBackend, Signal, SignalTransaction } from '../src/signals/index.js';
import { KyselyOutboxStore } from '../src/signals/outbox/index.js';
import { environmentLine, markdownTable, median } from './lib/stats.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = 5;
const SAMPLES_PER_ROUND = 100;
const RELAY_ROWS = 20_000;
const RELAY_ROUNDS = 3;

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined } as never;
const signal = new Signal<{ n: number }>('bench.outbox');

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function withSchema<R>(run: (connection: DatabaseConnection) => Promise<R>): Promise<R> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const connection = connectDatabase({ kind: 'postgres', url: DATABASE_URL }, { schema });
  try {
    await migrateToLatest(connection);
    return await run(connection);
  } finally {
    await connection.db.destroy();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

/** Commit-to-broker latencies (ms) of `samples` transactions, each sending one signal. */
async function commitToBroker(connection: DatabaseConnection, backend: RedisStreamsBackend, samples: number): Promise<number[]> {
  const reader = createClient({ url: REDIS_URL });
  await reader.connect();
  const stream = backend.keys.stream(signal.name);
  setBackend(backend);
  const latencies: number[] = [];
  try {
    for (let n = 0; n < samples; n++) {
      const last = (await reader.xRevRange(stream, '+', '-', { COUNT: 1 }))[0]?.id ?? '0-0';
      const arrived = reader.xRead({ key: stream, id: last }, { BLOCK: 5000, COUNT: 1 }).then(() => performance.now());
      let committedAt = 0;
      await inTransaction(connection.db, async (trx) => {
        SignalTransaction.current()?.afterCommit(() => (committedAt = performance.now()));
        await sql`select 1`.execute(trx);
        await signal.send({ n });
      });
      latencies.push((await arrived) - committedAt);
    }
  } finally {
    await reader.close();
  }
  return latencies;
}

async function relayThroughput(connection: DatabaseConnection, prefix: string): Promise<number> {
  const envelope = JSON.stringify({ id: 'x', signal: signal.name, payload: { n: 1 }, occurredAt: new Date().toISOString(), attempt: 1, context: {} });
  await sql`insert into signal_outbox (id, signal, envelope, created)
    select 'bench-' || g, ${signal.name}, ${envelope}, 0 from generate_series(1, ${RELAY_ROWS}) as g`.execute(connection.db);
  const store = new KyselyOutboxStore({ db: connection.db, dialect: 'postgres' });
  const backend = new RedisStreamsBackend({ url: REDIS_URL, prefix, logger: silent, outbox: { store } });
  const started = performance.now();
  backend.startOutboxRelay();
  while ((await store.oldestAgeMs()) !== undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  await backend.close();
  return RELAY_ROWS / seconds;
}

type Percentiles = { p50: number[]; p99: number[] };

/** Interleaved rounds of both paths, the order flipped each round; per-round p50 and p99. */
async function measureLatency(connection: DatabaseConnection, prefix: string): Promise<Record<'outbox' | 'direct', Percentiles>> {
  const store = new KyselyOutboxStore({ db: connection.db, dialect: 'postgres' });
  const backends = {
    outbox: new RedisStreamsBackend({ url: REDIS_URL, prefix, logger: silent, outbox: { store } }),
    direct: new RedisStreamsBackend({ url: REDIS_URL, prefix, logger: silent }),
  };
  backends.outbox.startOutboxRelay();
  const results = { outbox: { p50: [] as number[], p99: [] as number[] }, direct: { p50: [] as number[], p99: [] as number[] } };
  await commitToBroker(connection, backends.outbox, 20); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? (['outbox', 'direct'] as const) : (['direct', 'outbox'] as const)) {
      const latencies = await commitToBroker(connection, backends[name], SAMPLES_PER_ROUND);
      results[name].p50.push(percentile(latencies, 50));
      results[name].p99.push(percentile(latencies, 99));
    }
  }
  await Promise.all([backends.outbox.close(), backends.direct.close()]);
  return results;
}

function report(latency: Record<'outbox' | 'direct', Percentiles>, rates: number[]): void {
  const ms = (values: number[]) => `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  const rate = (value: number) => Math.round(value).toLocaleString('en-US');
  const table = markdownTable(
    ['path', 'p50', 'p99'],
    [
      ['through the outbox (relay woken at commit)', ms(latency.outbox.p50), ms(latency.outbox.p99)],
      ['published after the commit, no outbox (at most once)', ms(latency.direct.p50), ms(latency.direct.p99)],
    ],
  );
  process.stdout.write(`Outbox, PostgreSQL + Redis, ${environmentLine()}\n`);
  process.stdout.write(`Commit to broker, idle, ${ROUNDS} interleaved rounds of ${SAMPLES_PER_ROUND} (median of rounds, range), ms:\n\n`);
  process.stdout.write(`${table}\n\n`);
  process.stdout.write(
    `Relay throughput, ${RELAY_ROWS} rows, batches of 500, ${RELAY_ROUNDS} rounds: median ${rate(median(rates))} rows/s (${rates.map(rate).join(', ')})\n`,
  );
}

async function main(): Promise<void> {
  const prefix = `bench:outbox:${randomBytes(4).toString('hex')}:`;
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    await withSchema(async (connection) => {
      const latency = await measureLatency(connection, prefix);
      const rates: number[] = [];
      for (let round = 0; round < RELAY_ROUNDS; round++) rates.push(await relayThroughput(connection, prefix));
      report(latency, rates);
    });
  } finally {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length > 0) await redis.del(keys);
    await redis.close();
  }
}

await main();
