/**
 * `POST /users` under autocannon, the app as shipped (A) against the same app on a backend
 * that calls no receivers (B), in A-B-B-A order (issue 5); C, the in-process backend with as
 * many no-op receivers, splits A's cost into the signal system's own (C vs B) and the
 * listeners' work (A vs C). Each round gets its own server process and in-memory database.
 *
 * BENCH_HTTP_SECONDS (per round, default 8), BENCH_HTTP_BLOCKS (A-B-C-C-B-A blocks, default 2),
 * BENCH_HTTP_HASH=stub (swap the scrypt hash for a constant: a sensitivity run, not the app
 * as shipped). Exits 1 when a round is invalid (a non-2xx response, a connection error, or
 * row counts that do not match the variant).
 */
import { environmentLine, markdownTable, median } from './lib/stats.js';
import { postUsers, type LoadResult } from './http/load.js';
import { startServer } from './http/round.js';
import type { RoundCounts } from './http/server.js';
import { VARIANTS, VARIANT_SPECS, type VariantName } from './http/variants.js';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
const DISCARDED_ROUND_SECONDS = 3;
const TARGET_OVERHEAD = 0.05;
/** DevMailbox keeps the last 100 messages. */
const MAILBOX_CAPACITY = 100;
/** A-B-B-A, with C nested in the middle: every variant sees early and late rounds alike. */
const BLOCK: readonly VariantName[] = ['A', 'B', 'C', 'C', 'B', 'A'];

interface Round {
  readonly variant: VariantName;
  readonly load: LoadResult;
  readonly counts: RoundCounts;
  readonly problems: string[];
}

async function runRound(index: number, variant: VariantName, seconds: number, stubHash: boolean): Promise<Round> {
  const server = await startServer(variant, stubHash);
  const connections = CONNECTIONS;
  // A fresh process runs its first requests unoptimized; those belong to no variant.
  await postUsers({ url: server.url, connections, seconds: WARMUP_SECONDS, emailPrefix: `r${index}-warmup` });
  const load = await postUsers({ url: server.url, connections, seconds, emailPrefix: `r${index}` });
  const counts = await server.stop();
  return { variant, load, counts, problems: checkRound(variant, load, counts) };
}

/** What makes a round measure something else than signups on the variant it names. */
function checkRound(variant: VariantName, load: LoadResult, counts: RoundCounts): string[] {
  const problems: string[] = [];
  if (load.non2xx > 0) problems.push(`${load.non2xx} non-2xx`);
  if (load.errors > 0) problems.push(`${load.errors} connection errors`);
  if (counts.users < load.ok) problems.push(`${counts.users} users stored for ${load.ok} responses`);
  const expectedAudit = variant === 'A' ? counts.users : 0;
  if (counts.auditEvents !== expectedAudit) problems.push(`${counts.auditEvents} audit rows, expected ${expectedAudit}`);
  const expectedMails = variant === 'A' ? Math.min(counts.users, MAILBOX_CAPACITY) : 0;
  if (counts.mails !== expectedMails) problems.push(`${counts.mails} mails in the dev mailbox, expected ${expectedMails}`);
  return problems;
}

function roundTable(rounds: readonly Round[]): string {
  const rows = rounds.map((round, i) => [
    `${i + 1} ${round.variant}`,
    round.load.requestsPerSecond.toFixed(1),
    `${round.load.p50Ms}`,
    Object.entries(round.load.statusCodes).map(([code, n]) => `${code}: ${n}`).join(', '),
    `${round.counts.users} / ${round.counts.auditEvents} / ${round.counts.mails}`,
    round.problems.length === 0 ? 'valid' : `INVALID: ${round.problems.join('; ')}`,
  ]);
  return markdownTable(['round', 'req/s (2xx)', 'p50 ms', 'status codes', 'users / audit rows / mails', ''], rows);
}

function medianOf(rounds: readonly Round[], variant: VariantName): number {
  return median(rounds.filter((round) => round.variant === variant).map((round) => round.load.requestsPerSecond));
}

/** Extra time per request of `slower` over `faster`, from their throughputs: 0.05 is 5%. */
const overhead = (slower: number, faster: number): number => faster / slower - 1;
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

/**
 * A vs B inside each block, whose rounds ran minutes apart at most: the spread of these
 * shows how far the shared machine's drift reaches into the headline.
 */
function perBlock(rounds: readonly Round[]): string {
  const blocks = Array.from({ length: rounds.length / BLOCK.length }, (_, i) =>
    rounds.slice(i * BLOCK.length, (i + 1) * BLOCK.length),
  );
  return blocks.map((block) => percent(overhead(medianOf(block, 'A'), medianOf(block, 'B')))).join(', ');
}

/** The widest gap between two rounds of one variant: how much this run's machine drifted. */
function noiseFloor(rounds: readonly Round[]): number {
  const gaps = VARIANTS.map((variant) => {
    const rates = rounds.filter((round) => round.variant === variant).map((round) => round.load.requestsPerSecond);
    return Math.max(...rates) / Math.min(...rates) - 1;
  });
  return Math.max(...gaps);
}

function summaryTable(rounds: readonly Round[]): { table: string; holds: boolean } {
  const [a, b, c] = VARIANTS.map((variant) => medianOf(rounds, variant)) as [number, number, number];
  const headline = overhead(a, b);
  const holds = headline < TARGET_OVERHEAD;
  const rows = [
    ...VARIANTS.map((v) => [`median req/s, ${v}: ${VARIANT_SPECS[v].label}`, medianOf(rounds, v).toFixed(1), '']),
    ['**A vs B: the app as shipped vs no receivers (target < 5%)**', percent(headline), holds ? 'holds' : 'MISSED'],
    ['A vs B within each block', perBlock(rounds), ''],
    ['noise: widest gap between two rounds of one variant', percent(noiseFloor(rounds)), ''],
    ['C vs B: the signal system alone (dispatch to no-op receivers)', percent(overhead(c, b)), ''],
    ['A vs C: the listeners\u2019 own work (mail, audit INSERT)', percent(overhead(a, c)), ''],
  ];
  return { table: markdownTable(['', 'value', ''], rows), holds };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 8);
  const blocks = Number(process.env.BENCH_HTTP_BLOCKS ?? 2);
  const stubHash = process.env.BENCH_HTTP_HASH === 'stub';
  const started = Date.now();
  const schedule = Array.from({ length: blocks }, () => BLOCK).flat();
  // Discarded: round 1 was the slowest A in earlier runs (cold tsx cache and page cache); this
  // keeps that on no variant.
  await runRound(-1, 'B', DISCARDED_ROUND_SECONDS, stubHash);
  const rounds: Round[] = [];
  for (const [index, variant] of schedule.entries()) rounds.push(await runRound(index, variant, seconds, stubHash));
  const { table, holds } = summaryTable(rounds);
  const noisy = noiseFloor(rounds) >= TARGET_OVERHEAD;
  const hashing = stubHash ? 'password hash STUBBED (sensitivity run)' : 'scrypt password hash, as shipped';
  const out = [
    `## HTTP: POST /users (${environmentLine()}; ${CONNECTIONS} connections, ${seconds} s rounds, ${hashing})`,
    '',
    roundTable(rounds),
    '',
    table,
    '',
    `Overhead = extra time per request = req/s of the faster ÷ req/s of the slower − 1, from the medians.`,
    'B skips the dispatch and the listeners\' work (welcome email rendered by nodemailer, audit INSERT):',
    'A vs B is the price of the app\'s signals with their side effects; C vs B is the signal system alone.',
    `${holds ? 'Target holds' : 'Target missed'}${noisy ? ', but INCONCLUSIVE: the noise exceeds the 5% target' : ''}; ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (rounds.some((round) => round.problems.length > 0)) process.exitCode = 1;
}

await main();
