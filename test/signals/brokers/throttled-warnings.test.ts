import { expect } from 'chai';
import { ThrottledWarnings } from '../../../src/signals/brokers/throttled-warnings.js';
import { useBrokerFixture } from './support/broker-fixture.js';
import { rabbitBroker, redisBroker, type TestBroker } from './support/brokers.js';
import { delay, MemoryLogger } from './support/waiting.js';

describe('ThrottledWarnings', () => {
  function setUp(): { logger: MemoryLogger; warnings: ThrottledWarnings; advance: (ms: number) => void } {
    let now = 1_000_000;
    const logger = new MemoryLogger();
    return { logger, warnings: new ThrottledWarnings(logger, 30_000, () => now), advance: (ms) => void (now += ms) };
  }

  it('when a source warns again within the interval, then only the first is logged; after it, the next says how many were left out', () => {
    const { logger, warnings, advance } = setUp();
    warnings.warn('commands', 'Redis connection commands: ECONNREFUSED', { connection: 'commands' });
    for (let i = 0; i < 5; i++) {
      advance(1000);
      warnings.warn('commands', 'Redis connection commands: ECONNREFUSED', { connection: 'commands' });
    }
    advance(25_000);
    warnings.warn('commands', 'Redis connection commands: ECONNREFUSED', { connection: 'commands' });

    expect(logger.lines.map((entry) => [entry.level, entry.message])).to.deep.equal([
      ['warn', 'Redis connection commands: ECONNREFUSED'],
      ['warn', 'Redis connection commands: ECONNREFUSED (and 5 more like it in the last 30 s)'],
    ]);
    expect(logger.lines[1]?.meta).to.include({ connection: 'commands', warningsLeftOut: 5 });
  });

  it('when two sources warn, then each is throttled on its own', () => {
    const { logger, warnings } = setUp();
    warnings.warn('a', 'A down', {});
    warnings.warn('b', 'B down', {});
    warnings.warn('a', 'A down', {});
    expect(logger.lines.map((entry) => entry.message)).to.deep.equal(['A down', 'B down']);
  });

  it('when a source that warned recovers, then one info line says so and its next trouble is logged at once', () => {
    const { logger, warnings } = setUp();
    warnings.recovered('a', 'A is back');
    warnings.warn('a', 'A down', {});
    warnings.recovered('a', 'A is back');
    warnings.warn('a', 'A down', {});
    expect(logger.lines.map((entry) => [entry.level, entry.message])).to.deep.equal([
      ['warn', 'A down'],
      ['info', 'A is back'],
      ['warn', 'A down'],
    ]);
  });

  for (const broker of [redisBroker, rabbitBroker] as TestBroker[]) {
    describe(`a worker whose ${broker.name} is unreachable`, () => {
      const fixture = useBrokerFixture(broker);

      it('when three receivers keep reconnecting for 2.5 s, then each connection and consumer warns once', async function () {
        this.timeout(10_000);
        const logger = new MemoryLogger();
        const backend = fixture.backend({ consume: true, url: broker.unreachableUrl, logger });
        for (const name of ['sendWelcomeEmail', 'recordAudit', 'refreshCache']) {
          backend.connect(fixture.signal, Object.defineProperty(() => undefined, 'name', { value: name }));
        }
        await delay(2500);
        const warnings = logger.lines.filter((entry) => entry.level === 'warn').map((entry) => entry.message.split(':')[0]);
        expect(warnings.length).to.be.within(1, 4);
        expect(new Set(warnings).size).to.equal(warnings.length);
      });
    });
  }
});
