import { Bench } from 'tinybench';
import { median } from './stats.js';

/** One thing to time: `run` is one operation; it is awaited when `awaited` is true. */
export interface Contender {
  readonly name: string;
  readonly awaited: boolean;
  readonly run: () => unknown;
}

/** Contenders measured side by side; `setup` runs before each of their rounds. */
export interface Group {
  readonly name: string;
  readonly contenders: readonly Contender[];
  readonly setup?: () => void;
}

export interface RoundOptions {
  readonly rounds: number;
  /** Operations per timed sample: amortizes the clock read, which costs as much as mitt's emit. */
  readonly opsPerSample: number;
  readonly timeMs: number;
  readonly warmupMs: number;
}

/** Median nanoseconds per operation, by group name then contender name. */
export type Medians = Map<string, Map<string, number>>;

/**
 * Runs every group `rounds` times, rounds outermost so that a slow spell of the shared
 * machine is spread over all groups, and with the contenders' order rotated each round so
 * that none always runs first (warm caches) or last (after the others' garbage).
 */
export async function measureRounds(groups: readonly Group[], options: RoundOptions): Promise<Medians> {
  const samples = new Map<string, Map<string, number[]>>();
  for (let round = 0; round < options.rounds; round++) {
    for (const group of groups) {
      group.setup?.();
      const byContender = await runRound(rotate(group.contenders, round), options);
      const groupSamples = samples.get(group.name) ?? new Map<string, number[]>();
      for (const [name, ns] of byContender) groupSamples.set(name, [...(groupSamples.get(name) ?? []), ns]);
      samples.set(group.name, groupSamples);
    }
  }
  return new Map([...samples].map(([group, byName]) => [group, mapValues(byName, median)]));
}

async function runRound(contenders: readonly Contender[], options: RoundOptions): Promise<Map<string, number>> {
  const bench = new Bench({ time: options.timeMs, warmupTime: options.warmupMs, throws: true });
  for (const contender of contenders) bench.add(contender.name, batch(contender, options.opsPerSample));
  await bench.run();
  const result = new Map<string, number>();
  for (const task of bench.tasks) {
    const p50Ms = task.result?.latency.p50;
    if (p50Ms === undefined) throw new Error(`No result for ${task.name}`);
    result.set(task.name, (p50Ms * 1e6) / options.opsPerSample);
  }
  return result;
}

function batch(contender: Contender, ops: number): () => unknown {
  const { run } = contender;
  if (!contender.awaited) {
    return () => {
      for (let i = 0; i < ops; i++) run();
    };
  }
  return async () => {
    for (let i = 0; i < ops; i++) await run();
  };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function mapValues<K, V, W>(map: Map<K, V>, fn: (value: V) => W): Map<K, W> {
  return new Map([...map].map(([key, value]) => [key, fn(value)]));
}

/**
 * The order of the contenders in round `round` when each round runs them one after another:
 * A-B-C in even rounds and C-B-A in odd ones, so that over an even number of rounds every
 * contender runs as often early as late (a slow spell of the shared machine, or the garbage
 * of the one before, lands on none of them more than on the others).
 */
export function interleavedOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}
