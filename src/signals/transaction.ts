import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<SignalTransaction>();

/** Work that a backend runs once the outermost transaction has committed. It must not throw. */
export type AfterCommitTask = () => unknown;

/**
 * Binds the signals sent while a database transaction is open to that transaction, so that a
 * signal is delivered if and only if the write it announces committed (Django's `on_commit`,
 * Rails' enqueue-after-commit).
 *
 * The app's transaction helper creates one per transaction (a nested one per savepoint), runs
 * the transaction's work inside {@link run}, and then calls exactly one of {@link committed}
 * or {@link rolledBack}. While it runs, `Signal.send` hands each send to the backend's
 * `sendInTransaction`, which records it: the in-process backend holds it until the commit, an
 * outbox-backed broker backend writes an outbox row through {@link executor}.
 *
 * The core never looks inside {@link executor}: it is whatever the app's database layer uses
 * as the open transaction (a Kysely transaction here), for adapters such as an outbox store.
 *
 * @example
 * const scope = new SignalTransaction(trx);
 * try {
 *   await scope.run(() => users.insert(row).then(() => userCreated.send(user)));
 *   if (scope.failure) throw scope.failure; // a send could not be recorded: do not commit
 *   await trx.commit().execute();
 * } catch (error) {
 *   await trx.rollback().execute();
 *   scope.rolledBack();
 *   throw error;
 * }
 * await scope.committed(); // in-process receivers run here, after the commit
 */
export class SignalTransaction {
  /** The app's handle on the open transaction (or savepoint); opaque to the core. */
  readonly executor: unknown;
  /** The transaction this one is nested in (a savepoint), if any. */
  readonly parent: SignalTransaction | undefined;
  readonly #afterCommit: AfterCommitTask[] = [];
  #failure: Error | undefined;
  #settled = false;

  /** Nests inside the transaction of the current async context, if there is one. */
  constructor(executor: unknown) {
    this.executor = executor;
    this.parent = storage.getStore();
  }

  /** The innermost transaction of the current async context, or `undefined` outside one. */
  static current(): SignalTransaction | undefined {
    return storage.getStore();
  }

  /** Runs `fn` with this transaction as the current one (for it and everything it awaits). */
  run<R>(fn: () => R): R {
    return storage.run(this, fn);
  }

  /** Queues `task` for after the outermost commit, after those queued before it. */
  afterCommit(task: AfterCommitTask): void {
    if (this.#settled) throw new Error('This signal transaction has already committed or rolled back');
    this.#afterCommit.push(task);
  }

  /**
   * Records that a send could not be recorded (an outbox row could not be written): the
   * transaction must not commit, or its write would commit without its signal.
   */
  fail(error: Error): void {
    this.#failure ??= error;
  }

  /** The first error given to {@link fail}; the app throws it instead of committing. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /**
   * Call once the database committed this transaction (for a savepoint: released it). A nested
   * transaction hands its tasks to its parent; the outermost runs them in order, each awaited,
   * in the caller's async context (so in the request that made the write).
   */
  async committed(): Promise<void> {
    this.#settle();
    const tasks = this.#afterCommit.splice(0);
    if (this.parent !== undefined) {
      for (const task of tasks) this.parent.afterCommit(task);
      return;
    }
    for (const task of tasks) await task();
  }

  /** Call once the database rolled this transaction (or savepoint) back: its sends are dropped. */
  rolledBack(): void {
    this.#settle();
    this.#afterCommit.length = 0;
  }

  #settle(): void {
    if (this.#settled) throw new Error('This signal transaction has already committed or rolled back');
    this.#settled = true;
  }
}
