import type { ConnectOptions, Receiver } from './types.js';

type AnyReceiver = Receiver<never>;

interface Entry {
  /** Replaced, never mutated: a send that holds the old array is unaffected by changes. */
  list: readonly AnyReceiver[];
  names: Map<AnyReceiver, string> | undefined;
}

const EMPTY: readonly AnyReceiver[] = Object.freeze([]);

/**
 * Receivers per signal object, in connection order, with copy-on-write arrays so that
 * dispatch can iterate the array it read without copying it. Keyed weakly, so a signal that
 * is dropped takes its receivers with it.
 */
export class ReceiverRegistry {
  readonly #entries = new WeakMap<object, Entry>();

  /** The current array for `signal`. Never mutate it; it is shared with running sends. */
  get<T>(signal: object): readonly Receiver<T>[] {
    return (this.#entries.get(signal)?.list ?? EMPTY) as unknown as readonly Receiver<T>[];
  }

  /** Adds `receiver` at the end; returns false and changes nothing when it is already there. */
  add<T>(signal: object, receiver: Receiver<T>, options?: ConnectOptions): boolean {
    const fn = receiver as unknown as AnyReceiver;
    const entry = this.#entries.get(signal);
    if (entry?.list.includes(fn)) return false;
    const next: Entry = { list: [...(entry?.list ?? EMPTY), fn], names: entry?.names };
    if (options?.name !== undefined) (next.names ??= new Map()).set(fn, options.name);
    this.#entries.set(signal, next);
    return true;
  }

  /** Removes `receiver`; returns false and changes nothing when it was not connected. */
  remove<T>(signal: object, receiver: Receiver<T>): boolean {
    const fn = receiver as unknown as AnyReceiver;
    const entry = this.#entries.get(signal);
    const index = entry?.list.indexOf(fn) ?? -1;
    if (entry === undefined || index === -1) return false;
    const list = entry.list.filter((_, i) => i !== index);
    entry.names?.delete(fn);
    if (list.length === 0) this.#entries.delete(signal);
    else this.#entries.set(signal, { list, names: entry.names });
    return true;
  }

  /** The name given at connect time, else the function's name, else `<anonymous>`. */
  nameOf<T>(signal: object, receiver: Receiver<T>): string {
    const fn = receiver as unknown as AnyReceiver;
    return this.#entries.get(signal)?.names?.get(fn) ?? receiverName(fn);
  }
}

/** A receiver's function name, or `<anonymous>`. */
export function receiverName(receiver: (...args: never[]) => unknown): string {
  return receiver.name === '' ? '<anonymous>' : receiver.name;
}
