import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { ThrottledWarnings, type BrokerBackend, type ReceiverBacklog } from './signals/brokers/index.js';
import { describeThrown, errorLogFields } from './signals/index.js';

export interface BrokerGaugeOptions {
  readonly registry: Registry;
  readonly system: string;
  readonly logger: Logger;
  readonly readTimeoutMs: number;
  readonly warningIntervalMs: number;
}

type Labels = Record<string, string>;
type Sample = readonly [labels: Labels, value: number];

/**
 * Registers the gauges a scrape reads from `backend`: the dead letters, each receiver's lag and
 * pending messages and, when the backend has an outbox, its pending messages and lag. They are
 * figures of the broker and the database, the same whichever process is scraped.
 */
export function watchBroker(backend: BrokerBackend, options: BrokerGaugeOptions): void {
  const scrape = new ScrapeReads(options);
  let backlog: Promise<ReceiverBacklog[]> | undefined;
  // Both backlog gauges are collected at once: one read of the broker serves them.
  const readBacklog = (): Promise<ReceiverBacklog[]> => (backlog ??= backend.backlog().finally(() => (backlog = undefined)));
  const perReceiver = (field: 'waiting' | 'inProgress') => async (): Promise<Sample[]> =>
    (await readBacklog()).flatMap(({ signal, receiver, [field]: count }) =>
      count === undefined ? [] : [[{ messaging_destination_name: signal, receiver }, count] as const],
    );

  scrape.gauge('messaging_dead_letter_messages', 'Messages in the dead letters', [], 'the dead-letter count', async () => [
    [{}, await backend.deadLetterCount()],
  ]);
  const receiverLabels = ['messaging_destination_name', 'receiver'];
  const lagHelp = 'Messages not yet handed to the receiver (Redis: its group lag; RabbitMQ: the ready messages of its queue)';
  scrape.gauge('messaging_consumer_lag_messages', lagHelp, receiverLabels, 'the consumer lag', perReceiver('waiting'));
  const pendingHelp = 'Messages handed to the receiver and not yet acknowledged (Redis only: its group pending entries)';
  scrape.gauge('messaging_consumer_pending_messages', pendingHelp, receiverLabels, 'the consumer lag', perReceiver('inProgress'));
  const relay = backend.outboxRelay;
  if (relay === undefined) return;
  scrape.gauge('messaging_outbox_pending_messages', 'Messages committed to the outbox and not yet published', [], 'the outbox', async () => [
    [{}, await relay.pendingCount()],
  ]);
  scrape.gauge('messaging_outbox_lag_seconds', 'How long the oldest message in the outbox has waited; 0 when it is empty', [], 'the outbox', async () => [
    [{}, ((await relay.lagMs()) ?? 0) / 1000],
  ]);
}

/** Gauges read at scrape time, each within a deadline; a read that fails leaves its gauge out. */
class ScrapeReads {
  readonly #options: BrokerGaugeOptions;
  readonly #warnings: ThrottledWarnings;

  constructor(options: BrokerGaugeOptions) {
    this.#options = options;
    this.#warnings = new ThrottledWarnings(options.logger, options.warningIntervalMs);
  }

  /** Registers gauge `name`, set from what `read` returns at each scrape; `what` names it in the warning. */
  gauge(name: string, help: string, labelNames: string[], what: string, read: () => Promise<Sample[]>): void {
    const { registry, system } = this.#options;
    const gauge: Gauge = new Gauge({
      name,
      help,
      labelNames: ['messaging_system', ...labelNames],
      registers: [registry],
      collect: async () => {
        const samples = await this.#read(what, read);
        gauge.reset();
        for (const [labels, value] of samples) gauge.set({ messaging_system: system, ...labels }, value);
      },
    });
  }

  async #read(what: string, read: () => Promise<Sample[]>): Promise<Sample[]> {
    try {
      const samples = await withDeadline(read(), this.#options.readTimeoutMs);
      this.#warnings.recovered(what, `Metrics: ${what} can be read again`);
      return samples;
    } catch (error) {
      this.#warnings.warn(what, `Metrics: ${what} could not be read; left out of the scrape: ${describeThrown(error)}`, { ...errorLogFields(error) });
      return [];
    }
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
