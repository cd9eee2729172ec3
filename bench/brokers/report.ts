import { formatMedianRange, markdownTable, median } from '../lib/stats.js';
import { cpuMicrosPerDelivery, deliveriesPerSecond, latencyMs, type RunResult, type Scenario } from './measure.js';

/** Results by scenario key, then contender name, then round (undefined: not run in that round). */
export type Results = Map<string, Map<string, (RunResult | undefined)[]>>;

const rate = (value: number): string => Math.round(value).toLocaleString('en-US');
const micros = (value: number): string => value.toFixed(1);
const ms = (value: number): string => value.toFixed(2);
const ratio = (value: number): string => `${value.toFixed(2)}×`;

function runsOf(results: Results, scenario: string, contender: string): RunResult[] {
  return (results.get(scenario)?.get(contender) ?? []).filter((run): run is RunResult => run !== undefined);
}

function column(results: Results, scenario: string, contender: string, metric: (run: RunResult) => number, format: (value: number) => string): string {
  return formatMedianRange(runsOf(results, scenario, contender).map(metric), format);
}

/** One table per scenario: throughput and CPU when saturated, latency when open-loop. */
export function scenarioTable(results: Results, scenario: Scenario, contenders: readonly string[]): string {
  const perDelivery = scenario.receivers === 1 ? 'message' : 'delivery';
  if (scenario.load.kind === 'open-loop') {
    const rows = contenders.map((name) => [
      name,
      column(results, scenario.key, name, (run) => latencyMs(run, 0.5), ms),
      column(results, scenario.key, name, (run) => latencyMs(run, 0.99), ms),
      column(results, scenario.key, name, (run) => latencyMs(run, 1), ms),
      column(results, scenario.key, name, (run) => latencyMs({ ...run, latenciesMs: run.sendLagMs }, 0.99), ms),
      column(results, scenario.key, name, cpuMicrosPerDelivery, micros),
    ]);
    return markdownTable(['contender', 'p50 send→receiver ms', 'p99 ms', 'max ms', 'p99 send lag behind schedule ms', `CPU µs/${perDelivery}`], rows);
  }
  const rows = contenders.map((name) => [
    name,
    column(results, scenario.key, name, deliveriesPerSecond, rate),
    column(results, scenario.key, name, cpuMicrosPerDelivery, micros),
  ]);
  const throughput = scenario.receivers === 1 ? 'messages/s' : 'delivered messages/s';
  return markdownTable(['contender', throughput, `CPU µs/${perDelivery}`], rows);
}

/** `metric(a) / metric(b)` in each round where both ran. */
function roundRatios(results: Results, scenario: string, a: string, b: string, metric: (run: RunResult) => number): number[] {
  const runsA = results.get(scenario)?.get(a) ?? [];
  const runsB = results.get(scenario)?.get(b) ?? [];
  const ratios: number[] = [];
  runsA.forEach((runA, round) => {
    const runB = runsB[round];
    if (runA !== undefined && runB !== undefined) ratios.push(metric(runA) / metric(runB));
  });
  return ratios;
}

export interface Target {
  readonly label: string;
  /** Per-round values: ratios of two contenders in the same round, or one contender's figure. */
  readonly values: number[];
  readonly format: (value: number) => string;
  /** Whether the median holds; undefined for a figure shown for context only. */
  readonly holds?: (value: number) => boolean;
}

export interface Names {
  readonly redis: string;
  readonly redisFloor: string;
  readonly rabbit: string;
  readonly rabbitFloor: string;
  readonly bullmq: string;
}

/** The targets of the issue, then the same ratios elsewhere for context. */
export function targets(results: Results, names: Names, keys: { saturated: string; openLoop: string; fanOut: string }): { targets: Target[]; context: Target[] } {
  const { saturated, openLoop, fanOut } = keys;
  const at = (value: number) => (measured: number) => measured >= value;
  const atMost = (value: number) => (measured: number) => measured <= value;
  const p99 = (name: string): number[] => runsOf(results, openLoop, name).map((run) => latencyMs(run, 0.99));
  return {
    targets: [
      {
        label: `${names.redis} ≥ 0.7 × the ${names.redisFloor}, saturated messages/s`,
        values: roundRatios(results, saturated, names.redis, names.redisFloor, deliveriesPerSecond),
        format: ratio,
        holds: at(0.7),
      },
      {
        label: `${names.redis} ≥ 2.5 × ${names.bullmq}, saturated messages/s`,
        values: roundRatios(results, saturated, names.redis, names.bullmq, deliveriesPerSecond),
        format: ratio,
        holds: at(2.5),
      },
      {
        label: `${names.rabbit} ≥ 0.7 × the ${names.rabbitFloor}, saturated messages/s`,
        values: roundRatios(results, saturated, names.rabbit, names.rabbitFloor, deliveriesPerSecond),
        format: ratio,
        holds: at(0.7),
      },
      {
        label: `${names.rabbit} CPU per message ≤ 1.1 × the ${names.rabbitFloor}'s, saturated`,
        values: roundRatios(results, saturated, names.rabbit, names.rabbitFloor, cpuMicrosPerDelivery),
        format: ratio,
        holds: atMost(1.1),
      },
      {
        label: `${names.redis} p99 send→receiver ≤ 5 ms at 2,000 messages/s (ms)`,
        values: p99(names.redis),
        format: ms,
        holds: atMost(5),
      },
    ],
    context: [
      { label: `${names.redis} / ${names.redisFloor}, CPU per message, saturated`, values: roundRatios(results, saturated, names.redis, names.redisFloor, cpuMicrosPerDelivery), format: ratio },
      { label: `${names.redis} / ${names.redisFloor}, delivered messages/s, 5 receivers`, values: roundRatios(results, fanOut, names.redis, names.redisFloor, deliveriesPerSecond), format: ratio },
      { label: `${names.redis} / ${names.redisFloor}, CPU per delivery, 5 receivers`, values: roundRatios(results, fanOut, names.redis, names.redisFloor, cpuMicrosPerDelivery), format: ratio },
      { label: `${names.rabbit} / ${names.rabbitFloor}, delivered messages/s, 5 receivers`, values: roundRatios(results, fanOut, names.rabbit, names.rabbitFloor, deliveriesPerSecond), format: ratio },
      { label: `${names.rabbit} / ${names.rabbitFloor}, CPU per delivery, 5 receivers`, values: roundRatios(results, fanOut, names.rabbit, names.rabbitFloor, cpuMicrosPerDelivery), format: ratio },
      { label: `${names.redisFloor} p99 at 2,000 messages/s (ms)`, values: p99(names.redisFloor), format: ms },
      { label: `${names.rabbit} p99 at 2,000 messages/s (ms)`, values: p99(names.rabbit), format: ms },
    ],
  };
}

export function targetTable(list: readonly Target[]): { table: string; held: number; missed: number } {
  let held = 0;
  let missed = 0;
  const verdicts = list.some((target) => target.holds !== undefined);
  const rows = list.map((target) => {
    if (target.values.length === 0) return verdicts ? [target.label, 'not measured', ''] : [target.label, 'not measured'];
    const measured = formatMedianRange(target.values, target.format);
    if (target.holds === undefined) return verdicts ? [target.label, measured, ''] : [target.label, measured];
    const holds = target.holds(median(target.values));
    if (holds) held++;
    else missed++;
    return [target.label, measured, holds ? 'holds' : 'misses'];
  });
  const header = verdicts ? ['target', 'median of rounds (range)', ''] : ['ratio (no target)', 'median of rounds (range)'];
  return { table: markdownTable(header, rows), held, missed };
}
