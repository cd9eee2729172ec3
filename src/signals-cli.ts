import { parseArgs } from 'node:util';
import { loadConfig, loadEnvFile } from './config.js';
import { buildContainer } from './container.js';
import { DEAD_LETTERS_USAGE, parseDeadLetterCommand, runDeadLetterCommand, UsageError } from './dead-letter-commands.js';
import { registerListeners } from './listeners/index.js';
import { createLogger } from './logger.js';
import { appSignals } from './services/signals.js';
import { runMain } from './shutdown.js';
import { createSignalBackend, describeSignalBackend } from './signal-backend.js';
import { setBackend, type BaseSignalBackend } from './signals/index.js';
import { formatWiring, readWiring } from './wiring.js';

// `npm run signals [-- --json]`: each signal, its receivers in order and, on a broker backend,
// what waits for each of them. `npm run signals -- dead-letters list|replay|purge`: the dead
// letters. Run, never imported.

const USAGE = `Usage: npm run signals [-- --json]\n${DEAD_LETTERS_USAGE}`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Parsed before anything connects: a typo costs no connection.
  const run = args[0] === 'dead-letters' ? deadLetters(args.slice(1)) : wiring(args);
  loadEnvFile();
  const config = loadConfig();
  // Its own lines go to stderr, so that stdout is only the report.
  const logger = createLogger({ level: 'warn', format: config.logFormat });
  const container = buildContainer(config, { logger });
  const backend = createSignalBackend(config, logger);
  setBackend(backend);
  const dispose = registerListeners(container);
  try {
    process.stdout.write(`${await run(backend, describeSignalBackend(config))}\n`);
  } finally {
    dispose();
    await backend.close();
    await container.close();
  }
}

type Report = (backend: BaseSignalBackend, description: string) => Promise<string>;

function wiring(args: string[]): Report {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return async (backend, description) => {
    const report = await readWiring(backend, appSignals, description);
    return values.json === true ? JSON.stringify(report, null, 2) : formatWiring(report);
  };
}

function deadLetters(args: string[]): Report {
  const command = parseDeadLetterCommand(args);
  return (backend) => runDeadLetterCommand(backend, command);
}

runMain(async () => {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  }
});
