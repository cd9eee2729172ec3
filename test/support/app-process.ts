import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** One of the app's processes, run as a child, with its stdout kept line by line. */
export interface AppProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first stdout line matching `pattern`, seen already or to come. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (`null` when ended by a signal) once the child has exited. */
  readonly exited: Promise<number | null>;
  /** SIGKILL, unless it already exited; for `after` hooks. */
  kill(): Promise<void>;
}

/** Runs `script` (`src/server.ts`, `src/worker.ts`) as npm does, with `env` on top of a minimal environment. */
export function startAppProcess(script: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = (once(child, 'exit') as Promise<[number | null]>).then(([code]) => code);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve(line);
  });
  const waitForLine = (pattern: RegExp, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`No line matching ${pattern} in: ${lines.join('\n')}`)), timeoutMs);
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return { child, lines, waitForLine, exited, kill };
}
