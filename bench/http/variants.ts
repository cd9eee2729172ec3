import type { App, AppDeps } from '../../src/app.js';
import type { Container } from '../../src/container.js';
import type { Logger } from '../../src/logger.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { UserService, type CreateUserInput, type PreparedUser } from '../../src/services/user.service.js';
import { userCreated } from '../../src/services/user.signals.js';
import { InProcessBackend, type BaseSignalBackend, type Signal } from '../../src/signals/index.js';

export const VARIANTS = ['A', 'B', 'C'] as const;
export type VariantName = (typeof VARIANTS)[number];

export interface Variant {
  readonly label: string;
  readonly backend: (logger: Logger) => BaseSignalBackend;
  /** Runs once the app has connected its listeners. */
  readonly afterCreate?: (app: App) => void;
}

/**
 * Keeps InProcessBackend's registry, so that the app connects its listeners exactly as
 * shipped, and only skips calling them: the difference to A is the dispatch and the work.
 */
class NoReceiverBackend extends InProcessBackend {
  override send<T>(_signal: Signal<T>, _payload: T): Promise<Error[]> {
    return Promise.resolve([]);
  }
}

/**
 * Swaps the receivers of `userCreated` (the only signal `POST /users` fires) for as many
 * async no-ops: the same dispatch (async path, one await each), none of the work.
 */
function connectNoOpsInstead(app: App): void {
  const count = userCreated.receivers.length;
  app.disposeListeners();
  for (let n = 0; n < count; n++) userCreated.connect(async () => {});
}

export const VARIANT_SPECS: Record<VariantName, Variant> = {
  A: { label: 'as shipped', backend: (logger) => new InProcessBackend({ logger }) },
  B: { label: 'backend calls no receivers', backend: (logger) => new NoReceiverBackend({ logger }) },
  C: {
    label: 'in-process, no-op receivers',
    backend: (logger) => new InProcessBackend({ logger }),
    afterCreate: connectNoOpsInstead,
  },
};

/**
 * The user service with a constant instead of the scrypt hash: only for the sensitivity
 * run (BENCH_HTTP_HASH=stub), where the hash no longer hides everything else in a request.
 */
class StubHashUserService extends UserService {
  protected override prepareCreate({ password, ...user }: CreateUserInput): Promise<PreparedUser> {
    return Promise.resolve({ ...user, passwordHash: `bench-stub$${password.length}` });
  }
}

/** The app's dependencies, with the user service swapped when `stubHash` is set. */
export function appDeps(container: Container, stubHash: boolean): AppDeps {
  if (!stubHash) return container;
  const { db } = container.connection;
  return { ...container, users: new StubHashUserService({ db, repository: new UserRepository(db), cache: container.cache }) };
}
