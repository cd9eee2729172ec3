import sinon from 'sinon';
import { InProcessBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { createMemoryLogger, type LogEntry } from './memory-logger.js';

/**
 * Registers mocha hooks that make a fresh `InProcessBackend` the current backend for each test,
 * logging to memory, and restore sinon and the default backend after it.
 *
 * @returns the log lines of the current test (one array, emptied before each test).
 */
export function useInProcessBackend(): LogEntry[] {
  const { logger, entries } = createMemoryLogger();
  beforeEach(() => {
    entries.length = 0;
    setBackend(new InProcessBackend({ logger }));
  });
  afterEach(() => {
    sinon.restore();
    resetBackend();
  });
  return entries;
}
