import type { Signal } from './signal.js';
import type { ReceiverContext } from './types.js';

/**
 * A {@link ReceiverContext} whose `AbortController` is made only when a receiver asks for
 * `abortSignal` or the backend needs to abort it: most receivers never look.
 */
export class DispatchContext<T> implements ReceiverContext<T> {
  #controller: AbortController | undefined;

  constructor(
    readonly signal: Signal<T>,
    readonly messageId?: string,
    readonly attempt?: number,
  ) {}

  get abortSignal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Aborts `abortSignal` with `reason` (a no-op for a receiver that never asked for it). */
  abort(reason: Error): void {
    this.#controller?.abort(reason);
  }
}
