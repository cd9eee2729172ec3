import type { Signal } from './signal.js';
import type { SignalTransaction } from './transaction.js';
import type { ConnectOptions, Receiver } from './types.js';

/**
 * Where signals are delivered. A backend owns the receivers of every signal, keyed by the
 * `Signal` object (two signals that share a name do not share receivers), and decides how a
 * send reaches them: in this process, or through a broker to other processes.
 *
 * Subclass it to build your own; {@link InProcessBackend} and {@link RecordingBackend} are
 * the two that ship with the core.
 */
export abstract class BaseSignalBackend {
  /**
   * Delivers `payload` to the receivers of `signal`.
   *
   * @returns the errors of this send, in the order they happened; empty when all went well.
   *   Must never reject.
   */
  abstract send<T>(signal: Signal<T>, payload: T): Promise<Error[]>;

  /**
   * Records a send made while `transaction` is open; nothing reaches a receiver before the
   * outermost transaction commits, and nothing at all if it rolls back. The default holds the
   * send and calls {@link send} after the commit (receivers run then; their failures are logged
   * by `send`). A backend with a durable outbox overrides it to write the message in the
   * transaction itself.
   *
   * @returns `[]` once recorded, or the errors that kept it from being recorded (the backend
   *   also calls `transaction.fail`, so the write does not commit without its signal). Must
   *   never reject.
   */
  sendInTransaction<T>(signal: Signal<T>, payload: T, transaction: SignalTransaction): Promise<Error[]> {
    transaction.afterCommit(() => this.send(signal, payload));
    return Promise.resolve([]);
  }

  /**
   * Connects `receiver` to `signal` after the receivers already there.
   *
   * @returns true when it was added, false when it was already connected (nothing changes).
   */
  abstract connect<T>(signal: Signal<T>, receiver: Receiver<T>, options?: ConnectOptions): boolean;

  /** @returns true when `receiver` was connected and is now removed; false otherwise. */
  abstract disconnect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean;

  /** @returns a new array of the receivers of `signal`, in connection order. */
  abstract receivers<T>(signal: Signal<T>): Receiver<T>[];

  /**
   * The names of the receivers of `signal`, in connection order: the name given at connect
   * time, else the function's name, else `<anonymous>`. For listing the wiring.
   */
  receiverNames<T>(signal: Signal<T>): string[] {
    return this.receivers(signal).map((receiver) => (receiver.name === '' ? '<anonymous>' : receiver.name));
  }

  /** Releases connections and timers. The default has nothing to close. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
