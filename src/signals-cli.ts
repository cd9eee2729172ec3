import { parseArgs } from 'node:util';
import { loadConfig, loadEnvFile } from './config.js';
import { buildContainer } from './container.js';
import { registerListeners } from './listeners/index.js';
import { createLogger } from './logger.js';
import { appSignals } from './services/signals.js';
import { runMain } from './shutdown.js';
import { createSignalBackend, describeSignalBackend } from './signal-backend.js';
import { setBackend } from './signals/index.js';
import { formatWiring, readWiring } from './wiring.js';

// `npm run signals [-- --json]`: each signal, its receivers in order and, on a broker backend,
// what waits for each of them. Run, never imported.

const USAGE = 'Usage: npm run signals [-- --json]';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  loadEnvFile();
  const config = loadConfig();
  // Its own lines go to stderr, so that stdout is only the report.
  const logger = createLogger({ level: 'warn', format: config.logFormat });
  const container = buildContainer(config, { logger });
  const backend = createSignalBackend(config, logger);
  setBackend(backend);
  const dispose = registerListeners(container);
  try {
    const report = await readWiring(backend, appSignals, describeSignalBackend(config));
    process.stdout.write(`${values.json === true ? JSON.stringify(report, null, 2) : formatWiring(report)}\n`);
  } finally {
    dispose();
    await backend.close();
    await container.close();
  }
}

runMain(main);
