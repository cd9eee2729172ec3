import { ReceiverRegistry, receiverName } from '../receiver-registry.js';
import type { Signal } from '../signal.js';
import type { AnySignal, ConnectOptions, Receiver } from '../types.js';
import { ReceiverNamingError } from './errors.js';

/** One receiver of one signal, with the name that identifies its consumer group or queue. */
export interface ReceiverBinding {
  readonly signal: AnySignal;
  readonly receiver: Receiver<unknown>;
  readonly name: string;
}

/**
 * The receivers of a broker backend. On top of {@link ReceiverRegistry} it enforces what the
 * wire needs: every receiver has a stable name, a name is used once per signal, and a signal
 * name belongs to one Signal object. Breaking a rule throws at connect time, where the
 * mistake is made, rather than mixing up messages later.
 */
export class BrokerReceivers {
  readonly #registry = new ReceiverRegistry();
  readonly #signalsByName = new Map<string, AnySignal>();
  readonly #bindings = new Map<AnySignal, ReceiverBinding[]>();

  /**
   * Connects `receiver` under its stable name.
   *
   * @returns the new binding, or undefined when the receiver was already connected.
   * @throws ReceiverNamingError for an anonymous receiver, a name already used by another
   *   receiver of the signal, or a second Signal object with the same name.
   */
  add<T>(signal: Signal<T>, receiver: Receiver<T>, options?: ConnectOptions): ReceiverBinding | undefined {
    if (this.#registry.get<T>(signal).includes(receiver)) return undefined;
    const name = stableName(signal, receiver, options);
    this.#claimSignalName(signal);
    const bindings = this.#bindings.get(signal) ?? [];
    if (bindings.some((binding) => binding.name === name)) {
      throw new ReceiverNamingError(
        `Signal '${signal.name}' already has a receiver named '${name}': two receivers would share one consumer group or queue`,
      );
    }
    this.#registry.add(signal, receiver, options);
    const binding: ReceiverBinding = { signal, receiver: receiver as unknown as Receiver<unknown>, name };
    this.#bindings.set(signal, [...bindings, binding]);
    return binding;
  }

  /** @returns the binding that was removed, or undefined when `receiver` was not connected. */
  remove<T>(signal: Signal<T>, receiver: Receiver<T>): ReceiverBinding | undefined {
    if (!this.#registry.remove(signal, receiver)) return undefined;
    const bindings = this.#bindings.get(signal) ?? [];
    const removed = bindings.find((binding) => binding.receiver === (receiver as unknown as Receiver<unknown>));
    this.#bindings.set(signal, bindings.filter((binding) => binding !== removed));
    return removed;
  }

  /** The receivers of `signal`, in connection order (the registry's shared array). */
  receivers<T>(signal: Signal<T>): readonly Receiver<T>[] {
    return this.#registry.get<T>(signal);
  }

  /** Every binding, in connection order per signal. */
  all(): ReceiverBinding[] {
    return [...this.#bindings.values()].flat();
  }

  #claimSignalName(signal: AnySignal): void {
    const owner = this.#signalsByName.get(signal.name);
    if (owner !== undefined && owner !== signal) {
      throw new ReceiverNamingError(
        `Two different Signal objects are named '${signal.name}' in one broker backend: ` +
          'on the wire they would be one signal. Declare the signal once and import it.',
      );
    }
    this.#signalsByName.set(signal.name, signal);
  }
}

function stableName<T>(signal: Signal<T>, receiver: Receiver<T>, options?: ConnectOptions): string {
  const name = options?.name ?? receiverName(receiver);
  if (name === '<anonymous>' || name.trim() === '') {
    throw new ReceiverNamingError(
      `A receiver of signal '${signal.name}' needs a stable name on a broker backend: ` +
        'connect a named function, or pass connect(fn, { name: "sendWelcomeEmail" })',
    );
  }
  return name;
}
