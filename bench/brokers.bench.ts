/**
 * The broker backends against what their clients do alone for the same delivery contract,
 * and BullMQ on the same Redis as the anchor. Producer and consumers share this process, so
 * one clock times send to receiver, and process.cpuUsage() is the CPU of both.
 *
 * Contenders: RedisStreamsBackend, the node-redis floor (bench/brokers/redis-floor.ts),
 * RabbitMQBackend, the rabbitmq-client floor (bench/brokers/rabbitmq-floor.ts) and BullMQ; every
 * consumer handles 16 messages at once. Scenarios, each run on a fresh stream, group, queue or
 * exchange that the run deletes when it stops:
 * - saturated: 100 sends in flight, one receiver: messages/s and CPU per message;
 * - open loop: 2,000 sends/s on a fixed schedule, one receiver: send-to-receiver p50 and p99;
 * - fan-out: saturated, one signal with 5 receivers: delivered messages/s and CPU per delivery.
 * Rounds are interleaved (contenders A-B-C-D-E, then E-D-C-B-A, ...) after a discarded warm-up
 * run of each; the tables give medians of rounds with their ranges, and ratios are taken
 * within each round, then their median.
 *
 * Run: npm run bench:brokers. REDIS_URL, AMQP_URL; BENCH_MESSAGES (per run, default 10,000; the
 * fan-out runs send a fifth of it, to 5 receivers); BENCH_ROUNDS (default 6); BENCH_ONLY
 * (contenders whose name contains it, any case; for `node --cpu-prof --import tsx
 * bench/brokers.bench.ts`). Exits 1 when a run fails; a missed target is reported, not an error.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { interleavedOrder } from './lib/rounds.js';
import { environmentLine } from './lib/stats.js';
import { bullmq } from './brokers/bullmq.js';
import { countRedisKeys, deleteRabbitObjects, deleteRedisKeys } from './brokers/cleanup.js';
import { CONCURRENCY, CountingLogger, type Contender, type RabbitLedger, type RunNames } from './brokers/contender.js';
import { cpuMicrosPerDelivery, deliveriesPerSecond, latencyMs, runScenario, type RunResult, type Scenario } from './brokers/measure.js';
import { rabbitMQFloor } from './brokers/rabbitmq-floor.js';
import { redisFloor } from './brokers/redis-floor.js';
import { scenarioTable, targets, targetTable, type Results } from './brokers/report.js';
import { rabbitMQBackend, redisStreamsBackend } from './brokers/signal-backends.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = positiveInteger('BENCH_MESSAGES', 10_000);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 6);
const ONLY = (process.env.BENCH_ONLY ?? '').toLowerCase();
const IN_FLIGHT = 100;
const OPEN_LOOP_RATE = 2000;
const FAN_OUT = 5;
const WARM_UP_MESSAGES = Math.min(MESSAGES, 1000);
/** A backstop: each contender bounds its own setup (20 s) and cleans up when it fails. */
const SETUP_TIMEOUT_MS = 30_000;

const SCENARIOS: readonly Scenario[] = [
  { key: 'saturated', title: `Saturated, one receiver: ${IN_FLIGHT} sends in flight`, load: { kind: 'saturated', inFlight: IN_FLIGHT }, messages: MESSAGES, receivers: 1 },
  {
    key: 'open-loop',
    title: `Open loop, one receiver: ${OPEN_LOOP_RATE.toLocaleString('en-US')} sends/s on a fixed schedule (${(MESSAGES / OPEN_LOOP_RATE).toFixed(1)} s)`,
    load: { kind: 'open-loop', ratePerSecond: OPEN_LOOP_RATE },
    messages: MESSAGES,
    receivers: 1,
  },
  {
    key: 'fan-out',
    title: `Saturated, one signal with ${FAN_OUT} receivers: ${IN_FLIGHT} sends in flight`,
    load: { kind: 'saturated', inFlight: IN_FLIGHT },
    messages: Math.max(1, Math.floor(MESSAGES / FAN_OUT)),
    receivers: FAN_OUT,
  },
];

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${text}`);
  return value;
}

/** Longest one run may take from its first send to its last delivery. */
function runTimeoutMs(scenario: Scenario): number {
  return 20_000 + 4 * scenario.messages * scenario.receivers;
}

function describe(result: RunResult): string {
  const parts = [
    `${Math.round(deliveriesPerSecond(result)).toLocaleString('en-US')} deliveries/s`,
    `${cpuMicrosPerDelivery(result).toFixed(1)} µs CPU each`,
    `p50 ${latencyMs(result, 0.5).toFixed(2)} ms, p99 ${latencyMs(result, 0.99).toFixed(2)} ms`,
  ];
  if (result.duplicates > 0) parts.push(`${result.duplicates} redelivered`);
  return parts.join(', ');
}

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const redisRoot = `bench:${run}:`;
  const rabbitRoot = `bench.${run}.`;
  const ledger: RabbitLedger = { queues: new Set(), exchanges: new Set() };
  const backendLog = new CountingLogger();
  const all: Contender[] = [
    redisStreamsBackend(REDIS_URL, backendLog.logger),
    redisFloor(REDIS_URL),
    rabbitMQBackend(AMQP_URL, backendLog.logger),
    rabbitMQFloor(AMQP_URL),
    bullmq(REDIS_URL),
  ];
  const contenders = all.filter((contender) => contender.name.toLowerCase().includes(ONLY));
  if (contenders.length === 0) throw new Error(`BENCH_ONLY=${ONLY} matches no contender (${all.map((c) => c.name).join(', ')})`);
  let runs = 0;
  const names = (): RunNames => {
    runs++;
    return { redisPrefix: `${redisRoot}${runs}:`, rabbitPrefix: `${rabbitRoot}${runs}.` };
  };
  const cleanUp = async (): Promise<void> => {
    await deleteRedisKeys(REDIS_URL, redisRoot);
    await deleteRabbitObjects(AMQP_URL, ledger);
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    progress(`${signal}: deleting what the bench created (${redisRoot}*, ${rabbitRoot}*)`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const started = performance.now();
  const results: Results = new Map(SCENARIOS.map((scenario) => [scenario.key, new Map(contenders.map((c) => [c.name, []]))]));
  progress(`Prefixes ${redisRoot} (Redis) and ${rabbitRoot} (RabbitMQ); ${ROUNDS} rounds of ${contenders.map((c) => c.name).join(', ')}`);
  try {
    const warmUp: Scenario = { ...SCENARIOS[0]!, key: 'warm-up', messages: WARM_UP_MESSAGES };
    for (const contender of contenders) {
      const result = await runScenario(contender, warmUp, { names: names(), ledger, timeoutMs: runTimeoutMs(warmUp), setupTimeoutMs: SETUP_TIMEOUT_MS });
      progress(`warm-up ${contender.name}: ${describe(result)} (discarded)`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        for (const contender of interleavedOrder(contenders, round)) {
          const context = { names: names(), ledger, timeoutMs: runTimeoutMs(scenario), setupTimeoutMs: SETUP_TIMEOUT_MS };
          const result = await runScenario(contender, scenario, context);
          const byRound = results.get(scenario.key)?.get(contender.name);
          if (byRound !== undefined) byRound[round] = result;
          progress(`round ${round + 1}/${ROUNDS} ${scenario.key} ${contender.name}: ${describe(result)}`);
        }
      }
    }
  } finally {
    await cleanUp();
    const left = await countRedisKeys(REDIS_URL, redisRoot);
    const leftQueues = ledger.queues.size + ledger.exchanges.size;
    if (left > 0 || leftQueues > 0) {
      progress(`Cleanup left ${left} Redis keys under ${redisRoot} and ${leftQueues} RabbitMQ objects: ${[...ledger.queues, ...ledger.exchanges].join(', ')}`);
      process.exitCode = 1;
    }
  }
  report(results, contenders, (performance.now() - started) / 1000, backendLog);
}

function report(results: Results, contenders: readonly Contender[], seconds: number, backendLog: CountingLogger): void {
  const out: string[] = [];
  out.push(`Brokers, ${environmentLine()}, Redis and RabbitMQ on loopback, consumer concurrency ${CONCURRENCY}.`);
  out.push(`${ROUNDS} interleaved rounds after a discarded warm-up; median of rounds (range).`, '');
  for (const scenario of SCENARIOS) {
    const count = `${scenario.messages.toLocaleString('en-US')} messages${scenario.receivers > 1 ? ` × ${scenario.receivers} receivers` : ''} per run`;
    out.push(`${scenario.title}, ${count}:`, '', scenarioTable(results, scenario, contenders.map((c) => c.name)), '');
  }
  const names = { redis: 'RedisStreamsBackend', redisFloor: 'node-redis floor', rabbit: 'RabbitMQBackend', rabbitFloor: 'rabbitmq-client floor', bullmq: 'BullMQ' };
  const { targets: goals, context } = targets(results, names, { saturated: 'saturated', openLoop: 'open-loop', fanOut: 'fan-out' });
  const goalTable = targetTable(goals);
  out.push('Targets (ratios taken within each round):', '', goalTable.table, '', targetTable(context).table, '');
  const duplicates = [...results.values()].flatMap((byName) => [...byName.values()].flat()).reduce((sum, run) => sum + (run?.duplicates ?? 0), 0);
  if (duplicates > 0) out.push(`${duplicates} deliveries were redeliveries of a message a receiver already had (not counted).`);
  if (backendLog.warnings + backendLog.errors > 0) {
    out.push(`The backends logged ${backendLog.warnings} warnings and ${backendLog.errors} errors; the first: ${backendLog.first ?? ''}`);
  }
  const unmeasured = goals.length - goalTable.held - goalTable.missed;
  const verdict = `${goalTable.held} of ${goals.length} targets hold, ${goalTable.missed} miss${unmeasured > 0 ? `, ${unmeasured} not measured (BENCH_ONLY)` : ''}`;
  out.push(`${verdict}; the bench took ${Math.round(seconds)} s.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:brokers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
// Every connection is closed by now; should a failed run have left one open, it must not keep
// the bench from ending (its broker objects are deleted already).
setTimeout(() => {
  progress('bench:brokers: connections were still open 5 s after the end; exiting');
  process.exit(process.exitCode ?? 1);
}, 5000).unref();
