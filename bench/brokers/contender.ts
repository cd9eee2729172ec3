import { randomUUID } from 'node:crypto';
import type { SignalLogger } from '../../src/signals/index.js';

/** What every message carries: its index in the run and when `send` was called (performance.now()). */
export interface Sample {
  readonly i: number;
  readonly sentAt: number;
}

/**
 * The receiver: called by receiver number `receiver` (0-based) for each message it gets. The
 * consumers await what it returns, as they would an async receiver's promise.
 */
export type RecordDelivery = (receiver: number, sample: Sample) => void | Promise<void>;

/** The names one run may create on the brokers: everything it creates starts with these. */
export interface RunNames {
  /** For Redis keys, e.g. `bench:1a2b3c4d:7:`. */
  readonly redisPrefix: string;
  /** For RabbitMQ exchanges and queues, e.g. `bench.1a2b3c4d.7.`. */
  readonly rabbitPrefix: string;
}

export interface RunSetup {
  /** Receivers of the one signal: 1, or 5 for the fan-out runs. */
  readonly receivers: number;
  readonly record: RecordDelivery;
  readonly names: RunNames;
  /** Where a contender lists the RabbitMQ objects it declares, so the run can remove them whatever happens. */
  readonly ledger: RabbitLedger;
}

/** A producer and its consumers, running in this process. */
export interface Pipeline {
  /** Publishes one message; resolves once the broker accepted it (as the contender defines it). */
  send(sample: Sample): Promise<void>;
  /** Rejects when a consumer gives up (a floor's read loop failed); never resolves. */
  readonly failed: Promise<never>;
  /** Stops consuming, closes the connections and deletes what the run created on the broker. */
  stop(): Promise<void>;
}

export interface Contender {
  readonly name: string;
  /** Declares, connects and starts consuming; resolves once the consumers are ready. */
  start(setup: RunSetup): Promise<Pipeline>;
}

/** RabbitMQ queues and exchanges declared during the run, removed at its end. */
export interface RabbitLedger {
  readonly queues: Set<string>;
  readonly exchanges: Set<string>;
}

/** The one signal of every run, and the routing key or stream of the floors. */
export const SIGNAL_NAME = 'bench.sent';
/** Messages one receiver handles at once, on every contender: COUNT, prefetch, concurrency. */
export const CONCURRENCY = 16;
/** The backends' default `maxAttempts`, which their quorum queues get as `x-delivery-limit`. */
export const MAX_ATTEMPTS = 5;
/** The name of receiver `k`: its consumer group, queue or BullMQ queue. */
export const receiverName = (k: number): string => `receiver${k}`;

/** What the floors put on the wire: the backends' envelope, field for field. */
export interface FloorEnvelope {
  readonly id: string;
  readonly signal: string;
  readonly payload: Sample;
  readonly occurredAt: string;
  readonly attempt: number;
  readonly context: Record<string, never>;
}

/**
 * The envelope of one floor message, as the backends write it for a plain JSON payload: a
 * fresh id (receivers dedupe on it), the time of the send and the first attempt.
 */
export function floorEnvelope(sample: Sample): FloorEnvelope {
  return { id: randomUUID(), signal: SIGNAL_NAME, payload: sample, occurredAt: new Date().toISOString(), attempt: 1, context: {} };
}

/** A logger that writes nothing and remembers how many warnings and errors the backends logged. */
export class CountingLogger {
  warnings = 0;
  errors = 0;
  first: string | undefined;

  readonly logger: SignalLogger = {
    error: (message: string) => this.#note('errors', message),
    warn: (message: string) => this.#note('warnings', message),
    info: () => this.logger,
  } as unknown as SignalLogger;

  #note(kind: 'warnings' | 'errors', message: string): SignalLogger {
    this[kind]++;
    this.first ??= message;
    return this.logger;
  }
}

/** Awaits `steps` in order, all of them even when some fail, and rethrows the first failure. */
export async function settleAll(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  let failure: unknown;
  let failed = false;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      if (!failed) failure = error;
      failed = true;
    }
  }
  if (failed) throw failure;
}

/** Longest a contender's setup (connections, declarations, consumers ready) may take. */
export const SETUP_TIMEOUT_MS = 20_000;

/** A promise that never settles: the `failed` of a pipeline whose consumers report nothing. */
export const never = new Promise<never>(() => undefined);
