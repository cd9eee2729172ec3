import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BrokerName } from './brokers.js';
import { waitFor } from './waiting.js';

/** How fixtures/consumer.ts is told what to consume. */
export interface ConsumerArgs {
  readonly broker: BrokerName;
  readonly prefix: string;
  readonly signal: string;
  readonly receivers: readonly string[];
  /** `hang`: report the message and never finish it; `record`: report and succeed. */
  readonly mode: 'hang' | 'record';
  readonly maxAttempts?: number;
}

/** One line the fixture writes. */
export type ConsumerEvent =
  | { readonly event: 'ready' }
  | {
      readonly event: 'received' | 'handled';
      readonly receiver: string;
      readonly n: number;
      readonly messageId: string;
      readonly attempt: number;
    };

const FIXTURE = fileURLToPath(new URL('../fixtures/consumer.ts', import.meta.url));

/** A consumer in a child process, as a worker would run it. */
export class ConsumerProcess {
  readonly events: ConsumerEvent[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;

  constructor(args: ConsumerArgs) {
    this.#child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.#exited = once(this.#child, 'exit');
    let buffered = '';
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.events.push(JSON.parse(line) as ConsumerEvent);
    });
  }

  /** Resolves once the child's consumers are set up on the broker. */
  ready(timeoutMs = 15_000): Promise<void> {
    return waitFor('the consumer process to be ready', () => this.events.some((e) => e.event === 'ready'), timeoutMs);
  }

  /** The messages it reported, of one kind. */
  messages(kind: 'received' | 'handled'): Extract<ConsumerEvent, { event: 'received' | 'handled' }>[] {
    return this.events.filter((e): e is Extract<ConsumerEvent, { event: 'received' | 'handled' }> => e.event === kind);
  }

  /** SIGKILL: no chance to ack or to close anything, as in a crash. */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM: the child closes its backend and exits; SIGKILL after 10 s as a last resort. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
