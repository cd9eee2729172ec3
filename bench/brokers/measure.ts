import { performance } from 'node:perf_hooks';
import { withTimeout } from '../../src/signals/brokers/timing.js';
import { percentile } from '../lib/stats.js';
import type { Contender, Pipeline, RabbitLedger, RunNames, Sample } from './contender.js';

/** A saturated run: `inFlight` sends outstanding at all times. An open-loop run: `ratePerSecond` sends on a fixed schedule. */
export type Load = { readonly kind: 'saturated'; readonly inFlight: number } | { readonly kind: 'open-loop'; readonly ratePerSecond: number };

export interface Scenario {
  readonly key: string;
  readonly title: string;
  readonly load: Load;
  /** Messages sent in one run. */
  readonly messages: number;
  /** Receivers of the one signal; every message is delivered to each. */
  readonly receivers: number;
}

/** What one run of one contender measured. */
export interface RunResult {
  /** Messages times receivers: every delivery, counted once each. */
  readonly deliveries: number;
  /** From the first send to the last delivery. */
  readonly seconds: number;
  /** process.cpuUsage(), user + system, over the same window, in µs. */
  readonly cpuMicros: number;
  /** Send-to-receiver latency of every delivery, ms, sorted. */
  readonly latenciesMs: Float64Array;
  /** Open loop: how late each send started against its schedule, ms, sorted; empty when saturated. */
  readonly sendLagMs: Float64Array;
  /** Deliveries of a message to a receiver that already had it (at-least-once redeliveries). */
  readonly duplicates: number;
}

export const deliveriesPerSecond = (result: RunResult): number => result.deliveries / result.seconds;
export const cpuMicrosPerDelivery = (result: RunResult): number => result.cpuMicros / result.deliveries;
export const latencyMs = (result: RunResult, fraction: number): number => percentile(result.latenciesMs, fraction);

/** Counts each (message, receiver) delivery once, with its latency; resolves `done` when all arrived. */
class DeliveryLog {
  readonly #seen: Uint8Array;
  readonly #latencies: Float64Array;
  #count = 0;
  duplicates = 0;
  lastAt = 0;
  #resolve: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.#resolve = resolve));

  constructor(
    messages: number,
    private readonly receivers: number,
  ) {
    this.#seen = new Uint8Array(messages * receivers);
    this.#latencies = new Float64Array(messages * receivers);
  }

  readonly record = (receiver: number, sample: Sample): void => {
    const now = performance.now();
    const slot = sample.i * this.receivers + receiver;
    if (this.#seen[slot] === 1) {
      this.duplicates++;
      return;
    }
    this.#seen[slot] = 1;
    this.#latencies[this.#count++] = now - sample.sentAt;
    this.lastAt = now;
    if (this.#count === this.#seen.length) this.#resolve();
  };

  get count(): number {
    return this.#count;
  }

  sortedLatencies(): Float64Array {
    return this.#latencies.slice(0, this.#count).sort();
  }
}

export interface RunContext {
  readonly names: RunNames;
  readonly ledger: RabbitLedger;
  /** Longest a run may take from its first send to its last delivery. */
  readonly timeoutMs: number;
  /** Longest the setup (declarations, connections, consumers ready) and the teardown may take each. */
  readonly setupTimeoutMs: number;
}

/**
 * Runs `scenario` once on `contender`: starts a fresh pipeline under `context.names`, sends,
 * waits for every delivery, and always stops the pipeline (which deletes what it created).
 *
 * @throws when a send fails, a consumer reports a failure, or a deadline passes.
 */
export async function runScenario(contender: Contender, scenario: Scenario, context: RunContext): Promise<RunResult> {
  const log = new DeliveryLog(scenario.messages, scenario.receivers);
  const setup = { receivers: scenario.receivers, record: log.record, names: context.names, ledger: context.ledger };
  const pipeline = await withTimeout(contender.start(setup), context.setupTimeoutMs, `${contender.name}: not ready within ${context.setupTimeoutMs} ms`);
  let outcome: { result: RunResult } | { error: unknown };
  try {
    outcome = { result: await drive(pipeline, scenario, log, context.timeoutMs, contender.name) };
  } catch (error) {
    outcome = { error };
  }
  try {
    await withTimeout(pipeline.stop(), context.setupTimeoutMs, `${contender.name}: did not stop within ${context.setupTimeoutMs} ms`);
  } catch (error) {
    if ('result' in outcome) throw error;
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

async function drive(pipeline: Pipeline, scenario: Scenario, log: DeliveryLog, timeoutMs: number, name: string): Promise<RunResult> {
  const aborted = { value: false };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const sending = scenario.load.kind === 'saturated' ? saturate(pipeline, scenario.messages, scenario.load.inFlight, aborted) : openLoop(pipeline, scenario.messages, scenario.load.ratePerSecond, aborted);
  try {
    const everything = Promise.all([sending, log.done]);
    const [sendLagMs] = await withTimeout(Promise.race([everything, pipeline.failed]), timeoutMs, `${name}: ${log.count} of ${scenario.messages * scenario.receivers} deliveries within ${timeoutMs} ms`);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      deliveries: scenario.messages * scenario.receivers,
      seconds: (log.lastAt - started) / 1000,
      cpuMicros: cpu.user + cpu.system,
      latenciesMs: log.sortedLatencies(),
      sendLagMs,
      duplicates: log.duplicates,
    };
  } finally {
    aborted.value = true;
    sending.catch(() => undefined);
  }
}

/** `inFlight` lanes, each sending the next message as soon as its previous send resolved. */
async function saturate(pipeline: Pipeline, messages: number, inFlight: number, aborted: { value: boolean }): Promise<Float64Array> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < messages && !aborted.value) await pipeline.send({ i: next++, sentAt: performance.now() });
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return new Float64Array(0);
}

/**
 * Sends message `i` at `i / ratePerSecond` s from the start, whatever the sends before it did
 * (their promises are only checked for failures). A timer wakes the sender each millisecond
 * or so and it sends whatever is due; how late each send started is returned, sorted.
 */
function openLoop(pipeline: Pipeline, messages: number, ratePerSecond: number, aborted: { value: boolean }): Promise<Float64Array> {
  const intervalMs = 1000 / ratePerSecond;
  const lag = new Float64Array(messages);
  const sends: Promise<void>[] = [];
  const started = performance.now();
  return new Promise<Float64Array>((resolve, reject) => {
    let next = 0;
    const tick = (): void => {
      if (aborted.value) return resolve(lag);
      const now = performance.now();
      const due = Math.min(messages, Math.floor((now - started) / intervalMs) + 1);
      for (; next < due; next++) {
        lag[next] = now - (started + next * intervalMs);
        const sending = pipeline.send({ i: next, sentAt: performance.now() });
        sending.catch(reject);
        sends.push(sending);
      }
      if (next < messages) setTimeout(tick, Math.max(0, started + next * intervalMs - performance.now()));
      else void Promise.all(sends).then(() => resolve(lag.sort()), reject);
    };
    tick();
  });
}
