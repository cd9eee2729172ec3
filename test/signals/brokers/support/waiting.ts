import { randomBytes } from 'node:crypto';
import type { SignalLogger } from '../../../../src/signals/index.js';

/** A name prefix no other test uses, so tests can share a broker and clean up after themselves. */
export function uniquePrefix(separator: string): string {
  return `test${separator}${randomBytes(4).toString('hex')}${separator}`;
}

/** Polls `check` every 20 ms until it returns true; rejects with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(20);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A logger that keeps what it is told, for assertions and to keep the test output quiet. */
export class MemoryLogger implements SignalLogger {
  readonly lines: { level: string; message: string; meta: unknown }[] = [];
  readonly error = this.#record('error');
  readonly warn = this.#record('warn');
  readonly info = this.#record('info');

  #record(level: string): SignalLogger['error'] {
    return ((message: string, meta?: unknown) => {
      this.lines.push({ level, message, meta });
      return this;
    }) as unknown as SignalLogger['error'];
  }
}
