import sinon from 'sinon';
import { registerListeners } from '../../src/listeners/index.js';
import { createLogger } from '../../src/logger.js';
import { ReadCache } from '../../src/services/read-cache.js';
import { InProcessBackend, resetBackend, setBackend } from '../../src/signals/index.js';
import { MemoryTransport } from './memory-transport.js';

/** The app's listeners, connected to a fresh backend, with stubbed side effects and a real cache. */
export interface ListenerFixture {
  readonly mailer: { send: sinon.SinonStub };
  readonly audit: { record: sinon.SinonStub };
  /** Runs the effect it is given, as the real one does for a message not handled yet. */
  readonly handled: { atLeastOnce: sinon.SinonStub };
  readonly cache: ReadCache;
  /** What `registerListeners` returned. */
  readonly dispose: () => void;
}

/** Registers mocha hooks that connect the listeners before each test and dispose them after. */
export function useListeners(): () => ListenerFixture {
  let current: ListenerFixture | undefined;
  beforeEach(() => {
    setBackend(new InProcessBackend({ logger: createLogger({ transports: [new MemoryTransport()] }) }));
    const fakes = {
      mailer: { send: sinon.stub().resolves() },
      audit: { record: sinon.stub().resolves() },
      handled: { atLeastOnce: sinon.stub().callsFake((_key: unknown, effect: () => Promise<void>) => effect()) },
      cache: new ReadCache(),
    };
    current = { ...fakes, dispose: registerListeners(fakes) };
  });
  afterEach(() => {
    current?.dispose();
    current = undefined;
    resetBackend();
    sinon.restore();
  });
  return () => {
    if (current === undefined) throw new Error('useListeners(): no fixture outside a test');
    return current;
  };
}
