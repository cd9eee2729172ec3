import type { Signal } from './signal.js';
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
   * Connects `receiver` to `signal` after the receivers already there.
   *
   * @returns true when it was added, false when it was already connected (nothing changes).
   */
  abstract connect<T>(signal: Signal<T>, receiver: Receiver<T>, options?: ConnectOptions): boolean;

  /** @returns true when `receiver` was connected and is now removed; false otherwise. */
  abstract disconnect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean;

  /** @returns a new array of the receivers of `signal`, in connection order. */
  abstract receivers<T>(signal: Signal<T>): Receiver<T>[];

  /** Releases connections and timers. The default has nothing to close. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
