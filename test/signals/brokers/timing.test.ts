import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import { AbortableDelays } from '../../../src/signals/brokers/timing.js';
import { useBrokerFixture } from './support/broker-fixture.js';
import { redisBroker } from './support/brokers.js';
import { waitFor } from './support/waiting.js';

/** Collects the warnings the process prints while `work` runs. */
async function warningsDuring(work: () => Promise<void>): Promise<Error[]> {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  process.on('warning', onWarning);
  try {
    await work();
    // Node emits 'warning' on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

describe('AbortableDelays', () => {
  it('when 50 waits share one abort signal, then the signal has one listener and no leak warning is printed', async () => {
    const stopping = new AbortController();
    const delays = new AbortableDelays(stopping.signal);
    const warnings = await warningsDuring(async () => {
      const waits = Array.from({ length: 50 }, () => delays.sleep(60_000));
      expect(getEventListeners(stopping.signal, 'abort')).to.have.length(1);
      expect(delays.pending).to.equal(50);
      stopping.abort();
      expect(await Promise.all(waits)).to.deep.equal(Array.from({ length: 50 }, () => false));
    });
    expect(warnings.map((warning) => warning.name)).to.deep.equal([]);
    expect(delays.pending).to.equal(0);
  });

  it('when the delay passes, then the wait resolves true and is forgotten', async () => {
    const delays = new AbortableDelays(new AbortController().signal);
    const started = performance.now();
    expect(await delays.sleep(20)).to.equal(true);
    expect(performance.now() - started).to.be.at.least(15);
    expect(delays.pending).to.equal(0);
  });

  it('when the signal has already aborted, then a wait resolves false at once', async () => {
    const stopping = new AbortController();
    stopping.abort();
    expect(await new AbortableDelays(stopping.signal).sleep(60_000)).to.equal(false);
  });

  describe('on a live Redis', () => {
    const fixture = useBrokerFixture(redisBroker);

    it('when more than 10 messages of one receiver wait out a retry backoff at once, then no leak warning is printed', async () => {
      const attempts = new Map<number, number>();
      const consumer = fixture.backend({ consume: true, retryBaseDelayMs: 400, retryMaxDelayMs: 400, maxAttempts: 2 });
      consumer.connect(fixture.signal, function sendWelcomeEmail({ n }) {
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        if (attempts.get(n) === 1) throw new Error('first delivery fails');
      });
      await consumer.whenConsuming();

      const warnings = await warningsDuring(async () => {
        for (let n = 0; n < 14; n++) expect(await consumer.send(fixture.signal, { n })).to.deep.equal([]);
        await waitFor('every message retried', () => attempts.size === 14 && [...attempts.values()].every((count) => count === 2));
      });

      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).to.deep.equal([]);
    });
  });
});
