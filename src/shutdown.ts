import { ConfigError } from './config.js';
import { errorFields, type Logger } from './logger.js';
import { assertDuration, describeThrown } from './signals/index.js';

// The process plumbing the web server and the worker share. Both files are run, never imported.

export interface ShutdownOptions {
  readonly logger: Logger;
  readonly timeoutMs: number;
  /** What is let finish, for the log line: `'in-flight requests'`. */
  readonly finishing: string;
  /** Closes everything, in order; resolving means the process may exit 0. */
  readonly shutdown: () => Promise<void>;
}

/**
 * On the first SIGTERM or SIGINT, runs `shutdown` and exits 0, or 1 when it fails or takes
 * longer than `timeoutMs`.
 */
export function exitGracefullyOnSignals({ logger, timeoutMs, finishing, shutdown }: ShutdownOptions): void {
  assertDuration('timeoutMs', timeoutMs);
  const stop = (signal: NodeJS.Signals): void => {
    logger.info(`${signal} received: finishing ${finishing}, then exiting`);
    // Not unref'd: if the shutdown stalls with nothing else pending, this still ends it with 1.
    setTimeout(() => {
      logger.error(`Shutdown did not finish within ${timeoutMs} ms; exiting with 1`);
      process.exit(1);
    }, timeoutMs);
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('Shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  // `once`: a second signal gets Node's default and ends the process at once.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Runs `main`; if it fails, prints one line naming the problem (a bad variable, an unreachable server) and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof ConfigError ? error.message : `Startup failed: ${describeThrown(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  });
}
