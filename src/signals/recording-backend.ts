import { RegistryBackend } from './registry-backend.js';
import type { Signal } from './signal.js';
import type { AnySignal } from './types.js';

/** One send seen by a {@link RecordingBackend}. */
export interface DispatchedSignal<T = unknown> {
  readonly signal: AnySignal;
  readonly payload: T;
}

/**
 * A backend for tests that records every send and calls no receiver: service tests assert
 * what was fired without running any side effect. Receivers can still be connected and
 * listed, so code that connects at start works unchanged.
 *
 * @example
 * const recorder = new RecordingBackend();
 * await withBackend(recorder, () => users.create(input));
 * expect(recorder.payloadsOf(userCreated)).to.deep.equal([{ id: 1, email, name }]);
 */
export class RecordingBackend extends RegistryBackend {
  /** Every send, in order. */
  readonly dispatched: DispatchedSignal[] = [];

  /** Records the send; returns no errors, since no receiver runs. */
  override send<T>(signal: Signal<T>, payload: T): Promise<Error[]> {
    this.dispatched.push({ signal, payload });
    return Promise.resolve([]);
  }

  /** The payloads sent on `signal`, in order. */
  payloadsOf<T>(signal: Signal<T>): T[] {
    return this.dispatched.filter((entry) => entry.signal === (signal as AnySignal)).map((entry) => entry.payload as T);
  }

  /** Forgets everything recorded so far. */
  clear(): void {
    this.dispatched.length = 0;
  }
}
