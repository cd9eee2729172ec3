import { BrokerBackend } from './signals/brokers/index.js';
import type { AnySignal, BaseSignalBackend } from './signals/index.js';

/** One receiver as `npm run signals` lists it; the counts only on a broker backend. */
export interface ReceiverWiring {
  readonly name: string;
  /** The consumer group or queue it reads. */
  readonly source?: string;
  readonly waiting?: number;
  readonly inProgress?: number;
}

export interface SignalWiring {
  readonly signal: string;
  /** Where it is published, on a broker backend. */
  readonly destination?: string;
  /** In connection order: the order an in-process send runs them. */
  readonly receivers: readonly ReceiverWiring[];
}

/** Which receivers listen to which signal, and on a broker what waits for each. */
export interface WiringReport {
  /** `memory (receivers run in this process)`, `redis at 127.0.0.1:6379, prefix signals:`... */
  readonly backend: string;
  readonly signals: readonly SignalWiring[];
  readonly deadLetters?: { readonly destination: string; readonly count: number };
}

/**
 * Reads the wiring of `signals` on `backend` (connect the receivers first); on a broker
 * backend, with each receiver's backlog and the dead letters, read from the broker.
 *
 * @throws the broker's error when a broker backend cannot reach it.
 */
export async function readWiring(backend: BaseSignalBackend, signals: readonly AnySignal[], description: string): Promise<WiringReport> {
  if (!(backend instanceof BrokerBackend)) {
    return { backend: description, signals: signals.map((signal) => ({ signal: signal.name, receivers: backend.receiverNames(signal).map((name) => ({ name })) })) };
  }
  const backlog = await backend.backlog();
  return {
    backend: description,
    signals: signals.map((signal) => ({
      signal: signal.name,
      destination: backend.destinationOf(signal.name),
      receivers: backend.receiverNames(signal).map((name) => {
        const found = backlog.find((entry) => entry.signal === signal.name && entry.receiver === name);
        return { name, source: found?.source, waiting: found?.waiting, inProgress: found?.inProgress };
      }),
    })),
    deadLetters: { destination: backend.deadLetterDestination, count: await backend.deadLetterCount() },
  };
}

/**
 * The report as text:
 *
 * ```
 * Signals on redis at 127.0.0.1:6379, prefix signals:
 *
 * user.created -> stream signals:stream:user.created
 *   1. sendWelcomeEmail    waiting 0, in progress 0  (group sendWelcomeEmail of signals:stream:user.created)
 * ```
 */
export function formatWiring(report: WiringReport): string {
  const lines = [`Signals on ${report.backend}`, ''];
  const width = Math.max(0, ...report.signals.flatMap((signal) => signal.receivers.map((receiver) => receiver.name.length)));
  for (const signal of report.signals) {
    lines.push(signal.destination === undefined ? signal.signal : `${signal.signal} -> ${signal.destination}`);
    if (signal.receivers.length === 0) lines.push('  (no receivers)');
    signal.receivers.forEach((receiver, index) => {
      const counts = receiver.source === undefined ? '' : `  ${describeCounts(receiver)}  (${receiver.source})`;
      lines.push(`  ${index + 1}. ${receiver.name.padEnd(width)}${counts}`.trimEnd());
    });
  }
  if (report.deadLetters !== undefined) {
    lines.push('', `Dead letters: ${report.deadLetters.count} in ${report.deadLetters.destination}`);
  }
  return lines.join('\n');
}

function describeCounts({ waiting, inProgress }: ReceiverWiring): string {
  const parts = [`waiting ${waiting ?? '?'}`];
  if (inProgress !== undefined) parts.push(`in progress ${inProgress}`);
  return parts.join(', ');
}
