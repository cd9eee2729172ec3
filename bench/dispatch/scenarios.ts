import { Writable } from 'node:stream';
import winston from 'winston';
import { getDefaultSignalLogger, type SignalLogger } from '../../src/signals/index.js';
import type { Group } from '../lib/rounds.js';
import { buildContenders, type BenchReceiver, type Payload } from './contenders.js';

export const PAYLOAD: Payload = { id: 1, email: 'ada@example.com', name: 'Ada' };

/** Written by every receiver, and printed at the end, so that no receiver is optimized away. */
let sink = 0;
export const sinkValue = (): number => sink;

// Distinct closures: the signal, emittery's Set and the others would treat one function
// connected ten times differently (the signal ignores the duplicates).
const syncReceiver = (n: number): BenchReceiver => (payload) => void (sink += payload.id + n);
// No await inside: the receiver's own work is not what is measured, the dispatch around it is.
// eslint-disable-next-line @typescript-eslint/require-await
const asyncReceiver = (n: number): BenchReceiver => async (payload) => void (sink += payload.id + n);

/**
 * Throws a new Error each time: what a real failure costs, stack capture included, and what
 * the default logger then formats. That capture costs 5 to 14 µs here, and it swings between
 * contenders and runs with the shape of the stack it walks, drowning what dispatch adds.
 */
const throwingReceiver: BenchReceiver = function failingReceiver() {
  throw new Error('receiver failed');
};

/** Rethrows one Error made in advance: what the dispatcher itself adds to a failure. */
const prebuiltFailure = new Error('receiver failed');
const rethrowingReceiver: BenchReceiver = function failingReceiver() {
  throw prebuiltFailure;
};

function receivers(count: number, make: (n: number) => BenchReceiver): BenchReceiver[] {
  return Array.from({ length: count }, (_, n) => make(n));
}

/** Nine sync receivers, then `failing`: last, so that peers that stop at a throw run all ten. */
function nineThen(failing: BenchReceiver): BenchReceiver[] {
  return [...receivers(9, syncReceiver), failing];
}

/** winston with `silent: true`: what an application configures to mute logs (its tests, say). */
function silentLogger(): SignalLogger {
  return winston.createLogger({ silent: true });
}

/**
 * The core's default logger, format and all (errors with stacks, timestamp, JSON), with its
 * console transport swapped for a stream that discards the bytes: the formatting is paid,
 * the terminal is not flooded. Returns undefined so that the backend takes the default.
 */
function defaultLoggerWritingNowhere(): undefined {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  getDefaultSignalLogger().clear().add(new winston.transports.Stream({ stream: discard }));
  return undefined;
}

function group(name: string, list: BenchReceiver[], logger: SignalLogger | undefined): Group {
  return { name, ...buildContenders(list, PAYLOAD, logger) };
}

export const SYNC_10 = '10 sync receivers';
export const ASYNC_10 = '10 async receivers';
export const THROWS_SILENT = '10, one throws (silent logger)';
export const THROWS_DEFAULT = '10, one throws a new Error (default logger)';

/** The scenarios of issue 5, in the order of the report. */
export function scenarios(): Group[] {
  const silent = silentLogger();
  return [
    group('1 sync receiver', receivers(1, syncReceiver), silent),
    group(SYNC_10, receivers(10, syncReceiver), silent),
    group('1 async receiver', receivers(1, asyncReceiver), silent),
    group(ASYNC_10, receivers(10, asyncReceiver), silent),
    group(THROWS_SILENT, nineThen(rethrowingReceiver), silent),
    group(THROWS_DEFAULT, nineThen(throwingReceiver), defaultLoggerWritingNowhere()),
  ];
}
