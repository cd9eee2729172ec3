import { BaseSignalBackend } from './backend.js';
import { ReceiverRegistry } from './receiver-registry.js';
import type { Signal } from './signal.js';
import type { ConnectOptions, Receiver } from './types.js';

/**
 * A backend whose receivers live in this process, in a {@link ReceiverRegistry}: subclasses
 * only decide what `send` does with them.
 */
export abstract class RegistryBackend extends BaseSignalBackend {
  protected readonly registry = new ReceiverRegistry();

  override connect<T>(signal: Signal<T>, receiver: Receiver<T>, options?: ConnectOptions): boolean {
    return this.registry.add(signal, receiver, options);
  }

  override disconnect<T>(signal: Signal<T>, receiver: Receiver<T>): boolean {
    return this.registry.remove(signal, receiver);
  }

  override receivers<T>(signal: Signal<T>): Receiver<T>[] {
    return [...this.registry.get<T>(signal)];
  }

  override receiverNames<T>(signal: Signal<T>): string[] {
    return this.registry.get<T>(signal).map((receiver) => this.registry.nameOf(signal, receiver));
  }
}
