/**
 * 1,000,000 `connectedTo` scopes and 100,000 signals created and dropped must leave no
 * receivers and no heap growth beyond noise after GC (issue 5). Run with
 * `node --expose-gc --import tsx bench/memory.bench.ts`; exits 1 when a check fails.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import winston from 'winston';
import { InProcessBackend, Signal, setBackend } from '../src/signals/index.js';
import { environmentLine, formatMiB, markdownTable } from './lib/stats.js';

const SCOPES = 1_000_000;
const SIGNALS = 100_000;
/** One signal in this many is watched through a WeakRef, to see that dropped ones are freed. */
const WATCH_EVERY = 1_000;
/**
 * Allowed heap growth per phase. Noise after a full GC is a few hundred KiB here; a leak of
 * one small object per scope (about 50 bytes) would be 48 MiB, per signal 10 MiB or more.
 */
const MAX_GROWTH_BYTES = 2 * 1024 * 1024;

interface Payload {
  readonly n: number;
}

interface Phase {
  readonly name: string;
  readonly before: number;
  readonly after: number;
  readonly problems: string[];
}

async function settledHeap(collect: () => void): Promise<number> {
  // Several passes with a macrotask between: WeakRef targets are only released between jobs,
  // and what one pass frees can make more collectable in the next.
  for (let pass = 0; pass < 4; pass++) {
    collect();
    await nextMacrotask();
  }
  return process.memoryUsage().heapUsed;
}

/** Half the scopes through `using`, half through the callback form, each seeing one send. */
async function connectedToScopes(signal: Signal<Payload>, count: number): Promise<string[]> {
  let calls = 0;
  for (let n = 0; n < count; n++) {
    const receiver = (payload: Payload): void => void (calls += payload.n);
    if (n % 2 === 0) {
      using _scope = signal.connectedTo(receiver);
      await signal.send({ n: 1 });
    } else {
      await signal.connectedTo(receiver, () => signal.send({ n: 1 }));
    }
  }
  const problems: string[] = [];
  if (calls !== count) problems.push(`receivers ran ${calls} times, expected ${count}`);
  if (signal.hasReceivers) problems.push(`${signal.receivers.length} receiver(s) still connected`);
  return problems;
}

/** Signals that get a receiver and a send, then are dropped without disconnecting. */
async function dropSignals(count: number, collect: () => void): Promise<string[]> {
  const watched: WeakRef<Signal<Payload>>[] = [];
  for (let n = 0; n < count; n++) {
    const signal = new Signal<Payload>(`bench.memory.${n}`);
    signal.connect((payload) => payload.n);
    await signal.send({ n });
    if (n % WATCH_EVERY === 0) watched.push(new WeakRef(signal));
  }
  await settledHeap(collect);
  const alive = watched.filter((ref) => ref.deref() !== undefined).length;
  return alive === 0 ? [] : [`${alive} of ${watched.length} watched signals were not collected`];
}

async function measure(name: string, collect: () => void, run: () => Promise<string[]>): Promise<Phase> {
  const before = await settledHeap(collect);
  const problems = await run();
  const after = await settledHeap(collect);
  if (after - before > MAX_GROWTH_BYTES) problems.push(`heap grew by ${formatMiB(after - before)}`);
  return { name, before, after, problems };
}

function report(phases: readonly Phase[], seconds: number): string {
  const rows = phases.map((phase) => [
    phase.name,
    formatMiB(phase.before),
    formatMiB(phase.after),
    formatMiB(phase.after - phase.before),
    phase.problems.length === 0 ? 'holds' : `FAILED: ${phase.problems.join('; ')}`,
  ]);
  return [
    `## Memory (${environmentLine()}; heap used after full GC; limit ${formatMiB(MAX_GROWTH_BYTES)} growth)`,
    '',
    markdownTable(['phase', 'heap before', 'heap after', 'growth', ''], rows),
    '',
    `${seconds.toFixed(0)} s.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const collect = globalThis.gc;
  if (collect === undefined) {
    process.stderr.write('Run with node --expose-gc: the heap is only comparable after a full GC.\n');
    process.exit(2);
  }
  const gc = (): void => void collect();
  setBackend(new InProcessBackend({ logger: winston.createLogger({ silent: true }) }));
  const signal = new Signal<Payload>('bench.memory.scoped');
  // Warm up first, so that compiled code and lazily built internals do not count as growth.
  await connectedToScopes(signal, 10_000);
  await dropSignals(10_000, gc);

  const started = Date.now();
  const phases = [
    await measure(`${SCOPES.toLocaleString('en-US')} connectedTo scopes`, gc, () => connectedToScopes(signal, SCOPES)),
    await measure(`${SIGNALS.toLocaleString('en-US')} signals created and dropped`, gc, () => dropSignals(SIGNALS, gc)),
  ];
  process.stdout.write(`${report(phases, (Date.now() - started) / 1000)}\n`);
  if (phases.some((phase) => phase.problems.length > 0)) process.exitCode = 1;
}

await main();
