import { expect } from 'chai';
import { InProcessBackend, Signal, resetBackend, setBackend } from '../../src/signals/index.js';
import { createMemoryLogger } from '../support/memory-logger.js';

/** An Error that counts how often its stack is read: reading it is what formats the trace. */
function errorCountingStackReads(): { error: Error; reads: () => number } {
  const error = new Error('boom');
  const stack = error.stack;
  let reads = 0;
  Object.defineProperty(error, 'stack', {
    get: () => {
      reads++;
      return stack;
    },
  });
  return { error, reads: () => reads };
}

describe('Receiver failure logging', () => {
  afterEach(() => {
    resetBackend();
  });

  it('when the logger is silenced, then the failure is returned but its stack is never formatted', async () => {
    const { logger, entries } = createMemoryLogger();
    logger.silent = true;
    setBackend(new InProcessBackend({ logger }));
    const signal = new Signal<{ id: number }>('order.placed');
    const { error, reads } = errorCountingStackReads();
    signal.connect(function failing() {
      throw error;
    });

    const errors = await signal.send({ id: 1 });

    expect(errors).to.deep.equal([error]);
    expect(reads()).to.equal(0);
    expect(entries).to.have.length(0);
  });

  it('when the logger is not silenced, then the line carries the stack', async () => {
    const { logger, entries } = createMemoryLogger();
    setBackend(new InProcessBackend({ logger }));
    const signal = new Signal<{ id: number }>('order.placed');
    const { error, reads } = errorCountingStackReads();
    signal.connect(function failing() {
      throw error;
    });

    await signal.send({ id: 1 });

    expect(reads()).to.be.greaterThan(0);
    expect(entries[0]?.stack).to.equal(error.stack);
  });
});
