import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RoundCounts } from './server.js';
import type { VariantName } from './variants.js';

const SERVER_PATH = fileURLToPath(new URL('./server.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface RoundServer {
  readonly url: string;
  /** Asks the server for its row counts and waits for its exit. */
  stop(): Promise<RoundCounts>;
}

/** Starts a fresh server process (fresh in-memory database) for one round. */
export async function startServer(variant: VariantName, stubHash: boolean): Promise<RoundServer> {
  const child = fork(SERVER_PATH, [variant, stubHash ? 'stub' : 'scrypt'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await nextMessage<{ port: number }>(child, 'port');
  return { url: `http://127.0.0.1:${port}`, stop: () => stopServer(child) };
}

async function stopServer(child: ChildProcess): Promise<RoundCounts> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reply = nextMessage<{ counts: RoundCounts }>(child, 'counts');
  child.send('stop');
  const { counts } = await reply;
  await exited;
  return counts;
}

/** The child's next IPC message that has `key`; rejects if it exits or stalls first. */
function nextMessage<T extends object>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Bench server sent no ${key} within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      if (typeof message !== 'object' || message === null || !(key in message)) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null): void => fail(new Error(`Bench server exited with ${code} before sending ${key}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit);
    };
    function fail(error: Error): void {
      cleanup();
      child.kill();
      reject(error);
    }
    child.on('message', onMessage).once('exit', onExit);
  });
}
