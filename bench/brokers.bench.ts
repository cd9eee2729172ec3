// Throughput and send-to-receiver latency of the broker backends, with BullMQ on the same
// Redis as the anchor. Producer and consumer share this process, so one clock times both.
// Two loads per contender: saturated (100 sends in flight: the consumer falls behind, so the
// latency includes queueing) and one send at a time (the latency of an idle system).
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
const LOADS = [
  { label: 'saturated', messages: MESSAGES, inFlight: 100 },
  { label: 'one at a time', messages: Math.min(MESSAGES, 1000), inFlight: 1 },
] as const;
/** Concurrency per consumer on every contender: Redis COUNT, RabbitMQ prefetch, BullMQ concurrency. */
const CONCURRENCY = 16;
const RUN_TIMEOUT_MS = 120_000;

type Load = (typeof LOADS)[number];

interface Sample {
  readonly i: number;
  readonly sentAt: number;
}

/** A running producer/consumer pair: `send` publishes one sample; the consumer calls `record`. */
interface Pipeline {
  send(sample: Sample): Promise<void>;
  stop(): Promise<void>;
}

interface Contender {
  readonly name: string;
  start(record: (sample: Sample) => void): Promise<Pipeline>;
}

const quietLogger = { error: () => quietLogger, warn: () => quietLogger, info: () => quietLogger } as unknown as SignalLogger;

function signalBackend(name: string, make: (consume: boolean) => BrokerBackend): Contender {
  return {
    name,
    async start(record) {
      const [consumer, sender] = [make(true), make(false)];
      const signal = new Signal<Sample>('bench.sent');
      consumer.connect(signal, function benchReceiver(sample) {
        record(sample);
      });
      await consumer.whenConsuming();
      const send = async (sample: Sample): Promise<void> => {
        const [error] = await sender.send(signal, sample);
        if (error !== undefined) throw new Error(`${name}: send failed`, { cause: error });
      };
      return { send, stop: async () => void (await Promise.all([consumer.close(), sender.close()])) };
    },
  };
}

function bullmq(queueName: string): Contender {
  const { hostname, port } = new URL(REDIS_URL);
  const connection = { host: hostname, port: Number(port || 6379) };
  return {
    name: 'BullMQ (anchor, same Redis)',
    async start(record) {
      const queue = new Queue<Sample>(queueName, { connection });
      const worker = new Worker<Sample>(queueName, (job) => Promise.resolve(record(job.data)), { connection, concurrency: CONCURRENCY });
      await worker.waitUntilReady();
      const send = async (sample: Sample): Promise<void> => {
        await queue.add('bench.sent', sample, { removeOnComplete: true, removeOnFail: true });
      };
      const stop = async (): Promise<void> => {
        await worker.close();
        await queue.obliterate({ force: true });
        await queue.close();
      };
      return { send, stop };
    },
  };
}

/** Sends `load.messages` samples with `load.inFlight` outstanding; resolves with every latency. */
async function measure(contender: Contender, load: Load): Promise<{ seconds: number; latenciesMs: Float64Array }> {
  const latenciesMs = new Float64Array(load.messages);
  let received = 0;
  let allReceived: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const pipeline = await contender.start((sample) => {
    latenciesMs[received++] = performance.now() - sample.sentAt;
    if (received === load.messages) allReceived();
  });
  try {
    const started = performance.now();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < load.messages) await pipeline.send({ i: next++, sentAt: performance.now() });
    };
    await Promise.all(Array.from({ length: load.inFlight }, lane));
    await withTimeout(done, RUN_TIMEOUT_MS, `${contender.name} did not deliver every message`);
    return { seconds: (performance.now() - started) / 1000, latenciesMs };
  } finally {
    await pipeline.stop();
  }
}

function percentile(sorted: Float64Array, fraction: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN).toFixed(1);
}

function tableRow(name: string, load: Load, result: { seconds: number; latenciesMs: Float64Array }): string {
  const sorted = Float64Array.from(result.latenciesMs).sort();
  const rate = Math.round(load.messages / result.seconds).toLocaleString('en-US');
  const cells = [name, load.label, load.messages.toLocaleString('en-US'), rate, percentile(sorted, 0.5), percentile(sorted, 0.99)];
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
  const queues = [topology.queue('bench.sent', 'benchReceiver'), topology.retryQueue('bench.sent', 'benchReceiver'), topology.deadLetterQueue];
  for (const queue of queues) await rabbit.queueDelete({ queue });
  await rabbit.exchangeDelete({ exchange: topology.exchange });
  await rabbit.close();
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const redisOptions = { url: REDIS_URL, prefix: `bench:${run}:`, logger: quietLogger, batchSize: CONCURRENCY };
  const rabbitOptions = { url: AMQP_URL, prefix: `bench.${run}.`, logger: quietLogger, prefetch: CONCURRENCY };
  const contenders = [
    signalBackend('RedisStreamsBackend', (consume) => new RedisStreamsBackend({ ...redisOptions, consume })),
    signalBackend('RabbitMQBackend', (consume) => new RabbitMQBackend({ ...rabbitOptions, consume })),
    bullmq(`bench-${run}`),
  ];
  const rows = ['| Backend | Load | Messages | Messages/s | p50 latency (ms) | p99 latency (ms) |', '|---|---|---:|---:|---:|---:|'];
  try {
    for (const load of LOADS) for (const contender of contenders) rows.push(tableRow(contender.name, load, await measure(contender, load)));
  } finally {
    await removeRedisKeys(redisOptions.prefix);
    await removeRabbitObjects(new RabbitMQBackend(rabbitOptions));
  }
  const note = `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, loopback servers, consumer concurrency ${CONCURRENCY}.`;
  process.stdout.write(`${rows.join('\n')}\n\n${note}\n`);
}

await main();
