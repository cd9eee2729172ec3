/**
 * `await signal.send(payload)` against a hand-written floor and the emitters users would
 * otherwise pick, side by side in one run: see issue 5. Prints Markdown tables.
 *
 * BENCH_ROUNDS (default 7) and BENCH_TIME_MS (per contender and round, default 120) trade
 * time for steadier medians; BENCH_ONLY=async runs only the scenarios whose name contains it
 * (for profiling one of them with `node --cpu-prof`).
 */
import { BACKEND_SEND, BASELINE, PEERS, SEND } from './dispatch/contenders.js';
import { ASYNC_10, SYNC_10, THROWS_SILENT, scenarios, sinkValue } from './dispatch/scenarios.js';
import { measureRounds, type Medians } from './lib/rounds.js';
import { environmentLine, formatNs, formatRatio, markdownTable } from './lib/stats.js';

const CONTENDERS = [BASELINE, SEND, BACKEND_SEND, ...PEERS];

interface Target {
  readonly label: string;
  readonly scenario: string;
  /** Of `send` over the other contender; or of the other over `send` when `faster`. */
  readonly against: string;
  readonly limit: number;
  readonly faster?: boolean;
}

const TARGETS: readonly Target[] = [
  { label: 'send, 10 sync receivers ≤ 1.3× baseline', scenario: SYNC_10, against: BASELINE, limit: 1.3 },
  { label: 'send, 10 sync receivers ≥ 5× faster than emittery', scenario: SYNC_10, against: 'emittery', limit: 5, faster: true },
  { label: 'send, 10 async receivers ≤ 1.2× baseline', scenario: ASYNC_10, against: BASELINE, limit: 1.2 },
  { label: 'send, one of 10 throws, silent logger ≤ 1.5× baseline', scenario: THROWS_SILENT, against: BASELINE, limit: 1.5 },
];

function nsOf(medians: Medians, scenario: string, contender: string): number {
  const ns = medians.get(scenario)?.get(contender);
  if (ns === undefined) throw new Error(`No measurement for ${contender} in ${scenario}`);
  return ns;
}

function nsTable(medians: Medians): string {
  const rows = [...medians.keys()].map((s) => [s, ...CONTENDERS.map((c) => formatNs(nsOf(medians, s, c)))]);
  return markdownTable(['ns/op (median)', ...CONTENDERS], rows);
}

function ratioTable(medians: Medians): string {
  const others = CONTENDERS.filter((c) => c !== SEND);
  const rows = [...medians.keys()].map((s) => {
    const send = nsOf(medians, s, SEND);
    return [s, ...others.map((c) => formatRatio(send, nsOf(medians, s, c)))];
  });
  return markdownTable(['send ÷ contender', ...others], rows);
}

function targetTable(medians: Medians): { table: string; missed: number } {
  let missed = 0;
  const measured = TARGETS.filter((target) => medians.has(target.scenario));
  const rows = measured.map((target) => {
    const send = nsOf(medians, target.scenario, SEND);
    const other = nsOf(medians, target.scenario, target.against);
    const ratio = target.faster ? other / send : send / other;
    const holds = target.faster ? ratio >= target.limit : ratio <= target.limit;
    if (!holds) missed++;
    return [target.label, `${ratio.toFixed(2)}×`, holds ? 'holds' : 'MISSED'];
  });
  return { table: markdownTable(['target', 'measured', ''], rows), missed };
}

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const timeMs = Number(process.env.BENCH_TIME_MS ?? 120);
  const started = Date.now();
  const only = process.env.BENCH_ONLY ?? '';
  const groups = scenarios().filter((group) => group.name.includes(only));
  const medians = await measureRounds(groups, { rounds, opsPerSample: 50, timeMs, warmupMs: 40 });
  const { table, missed } = targetTable(medians);
  const out = [
    `## Dispatch (${environmentLine()}; median of ${rounds} rounds)`,
    '',
    nsTable(medians),
    '',
    ratioTable(medians),
    '',
    'Below 1× means send is faster. node:events, eventemitter3 and mitt do not await async',
    'listeners and stop at a throwing one; emittery runs its listeners concurrently.',
    '',
    table,
    '',
    `${missed === 0 ? 'All targets hold' : `${missed} target(s) missed`}; ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s (sink ${sinkValue() > 0 ? 'written' : 'empty'}).`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
