// Throughput and send-to-receiver latency of the broker backends, with BullMQ on the same
// Redis as the anchor. Producer and consumer share this process, so one clock times both.
// Run: npm run bench:brokers (REDIS_URL, AMQP_URL, BENCH_MESSAGES to override).
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Connection } from 'rabbitmq-client';
import { createClient } from 'redis';
import { RabbitMQBackend, RedisStreamsBackend, type BrokerBackend } from '../src/signals/brokers/index.js';
import { withTimeout } from '../src/signals/brokers/timing.js';
import { Signal, type SignalLogger } from '../src/signals/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
/** Sends in flight at once: a busy web tier, not one request at a time. */
const IN_FLIGHT = 100;
/** Concurrency per consumer on every contender: Redis COUNT, RabbitMQ prefetch, BullMQ concurrency. */
const CONCURRENCY = 16;
const RUN_TIMEOUT_MS = 120_000;

interface Result {
  readonly name: string;
  readonly seconds: number;
  readonly latenciesMs: Float64Array;
}

interface Sample {
  readonly i: number;
  readonly sentAt: number;
}

const quietLogger: SignalLogger = { error: () => quietLogger, warn: () => quietLogger, info: () => quietLogger } as unknown as SignalLogger;

/** Calls `send(i)` for every message, keeping IN_FLIGHT sends outstanding. */
async function sendAll(send: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < MESSAGES) await send(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

/** Collects one latency per message and resolves when all arrived. */
function latencyCollector(): { record: (sample: Sample) => void; done: Promise<Float64Array> } {
  const latencies = new Float64Array(MESSAGES);
  let received = 0;
  let finish: (value: Float64Array) => void = () => undefined;
  const done = new Promise<Float64Array>((resolve) => (finish = resolve));
  const record = (sample: Sample): void => {
    latencies[received++] = performance.now() - sample.sentAt;
    if (received === MESSAGES) finish(latencies);
  };
  return { record, done };
}

async function measureBackend(name: string, make: (consume: boolean) => BrokerBackend): Promise<Result> {
  const consumer = make(true);
  const sender = make(false);
  try {
    const signal = new Signal<Sample>('bench.sent');
    const collector = latencyCollector();
    consumer.connect(signal, function benchReceiver(sample) {
      collector.record(sample);
    });
    await consumer.whenConsuming();
    const started = performance.now();
    await sendAll(async (i) => {
      const errors = await sender.send(signal, { i, sentAt: performance.now() });
      if (errors.length > 0) throw new Error(`${name}: send failed`, { cause: errors[0] });
    });
    const latenciesMs = await withTimeout(collector.done, RUN_TIMEOUT_MS, `${name} did not deliver every message`);
    return { name, seconds: (performance.now() - started) / 1000, latenciesMs };
  } finally {
    await Promise.all([consumer.close(), sender.close()]);
  }
}

async function measureBullMQ(queueName: string): Promise<Result> {
  const { hostname, port } = new URL(REDIS_URL);
  const connection = { host: hostname, port: Number(port || 6379) };
  const queue = new Queue<Sample>(queueName, { connection });
  const collector = latencyCollector();
  const worker = new Worker<Sample>(queueName, (job) => Promise.resolve(collector.record(job.data)), { connection, concurrency: CONCURRENCY });
  try {
    await worker.waitUntilReady();
    const started = performance.now();
    await sendAll(async (i) => {
      await queue.add('bench.sent', { i, sentAt: performance.now() }, { removeOnComplete: true, removeOnFail: true });
    });
    const latenciesMs = await withTimeout(collector.done, RUN_TIMEOUT_MS, 'BullMQ did not deliver every job');
    return { name: 'BullMQ (anchor, same Redis)', seconds: (performance.now() - started) / 1000, latenciesMs };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function tableRow(result: Result): string {
  const sorted = Float64Array.from(result.latenciesMs).sort();
  const rate = Math.round(MESSAGES / result.seconds).toLocaleString('en-US');
  const cells = [result.name, MESSAGES.toLocaleString('en-US'), rate, percentile(sorted, 0.5).toFixed(1), percentile(sorted, 0.99).toFixed(1)];
  return `| ${cells.join(' | ')} |`;
}

async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length > 0) await redis.del(keys);
  await redis.close();
}

async function removeRabbitObjects(backend: RabbitMQBackend): Promise<void> {
  const rabbit = new Connection(AMQP_URL);
  const { topology } = backend;
  for (const queue of [topology.queue('bench.sent', 'benchReceiver'), topology.retryQueue('bench.sent', 'benchReceiver'), topology.deadLetterQueue]) {
    await rabbit.queueDelete({ queue });
  }
  await rabbit.exchangeDelete({ exchange: topology.exchange });
  await rabbit.close();
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const redisPrefix = `bench:${run}:`;
  const rabbitOptions = { url: AMQP_URL, prefix: `bench.${run}.`, logger: quietLogger, prefetch: CONCURRENCY };
  const results: Result[] = [];
  try {
    results.push(await measureBackend('RedisStreamsBackend', (consume) => new RedisStreamsBackend({ url: REDIS_URL, prefix: redisPrefix, logger: quietLogger, consume, batchSize: CONCURRENCY })));
    results.push(await measureBackend('RabbitMQBackend', (consume) => new RabbitMQBackend({ ...rabbitOptions, consume })));
    results.push(await measureBullMQ(`bench-${run}`));
  } finally {
    await removeRedisKeys(redisPrefix);
    await removeRabbitObjects(new RabbitMQBackend(rabbitOptions));
  }
  const header = ['| Backend | Messages | Messages/s | p50 latency (ms) | p99 latency (ms) |', '|---|---:|---:|---:|---:|'];
  const note = `\n${new Date().toISOString().slice(0, 10)}, Node ${process.version}, loopback servers, ${IN_FLIGHT} sends in flight, consumer concurrency ${CONCURRENCY}.\n`;
  process.stdout.write([...header, ...results.map(tableRow)].join('\n') + note);
}

await main();
