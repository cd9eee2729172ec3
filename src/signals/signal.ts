import { getBackend } from './current-backend.js';
import { findUnportableValue } from './payload-check.js';
import { SignalTransaction } from './transaction.js';
import type { ConnectOptions, Receiver, SendArgs } from './types.js';

/** What `connectedTo(receiver)` returns: disconnects on dispose, once. */
export interface ConnectionScope extends Disposable {
  /** Disconnects the receiver, if this scope connected it. Safe to call twice. */
  dispose(): void;
}

/**
 * A named, typed event that a service fires and knows nothing of what follows.
 *
 * A signal holds no receivers itself: it asks the current backend ({@link getBackend}) at
 * each call, so a test that swaps the backend isolates signals declared at module level.
 *
 * @typeParam T - the payload; `void` for a signal without one. Checked at compile time.
 * @example
 * interface UserCreated { id: number; email: string; name: string }
 * export const userCreated = new Signal<UserCreated>('user.created');
 *
 * userCreated.connect(async function sendWelcomeEmail(user) {
 *   await mailer.send({ to: user.email, subject: `Welcome, ${user.name}` });
 * });
 *
 * const errors = await userCreated.send({ id: 1, email: 'ada@example.com', name: 'Ada' });
 * // errors: what receivers threw, already logged; the request goes on either way.
 */
export class Signal<T = void> {
  /** The name in logs and, on broker backends, on the wire: `'user.created'`. */
  readonly name: string;
  #warnedPayloadTypes: Set<string> | undefined;

  constructor(name: string) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError('A signal needs a non-empty name, such as "user.created"');
    }
    this.name = name;
  }

  /**
   * Connects `receiver` after those already connected. Connecting the same function twice
   * is ignored: it still runs once per send, in its first position.
   *
   * @returns `receiver` itself, so a named function can be declared and connected at once.
   * @throws TypeError when `receiver` is not a function.
   */
  connect<R extends Receiver<T>>(receiver: R, options?: ConnectOptions): R {
    assertReceiver(receiver, this.name);
    getBackend().connect(this, receiver, options);
    return receiver;
  }

  /** @returns true when `receiver` was connected and is now removed; false (and no change) otherwise. */
  disconnect(receiver: Receiver<T>): boolean {
    return getBackend().disconnect(this, receiver);
  }

  /**
   * Connects `receiver` for a scope and always disconnects it afterwards. With `body`, the
   * receiver is connected while `body` runs and disconnected when it settles, even when it
   * throws; the promise resolves or rejects as `body` does. Without `body`, returns a
   * {@link ConnectionScope} for `using`. A receiver that was already connected stays connected.
   *
   * @example
   * using scope = userCreated.connectedTo(spy);
   * await request(app).post('/users').send(input);
   */
  connectedTo(receiver: Receiver<T>): ConnectionScope;
  connectedTo<R>(receiver: Receiver<T>, body: () => R | Promise<R>): Promise<R>;
  connectedTo<R>(receiver: Receiver<T>, body?: () => R | Promise<R>): ConnectionScope | Promise<R> {
    assertReceiver(receiver, this.name);
    const backend = getBackend();
    let connected = backend.connect(this, receiver);
    const release = (): void => {
      if (connected) backend.disconnect(this, receiver);
      connected = false;
    };
    if (body === undefined) return { dispose: release, [Symbol.dispose]: release };
    return runThenRelease(body, release);
  }

  /** A new array of the connected receivers, in connection order. */
  get receivers(): Receiver<T>[] {
    return getBackend().receivers(this);
  }

  /** True when at least one receiver is connected. */
  get hasReceivers(): boolean {
    return getBackend().receivers(this).length > 0;
  }

  /**
   * Sends `payload` to every receiver, one after another in connection order, each awaited
   * before the next (sync or async). Receivers connected or disconnected during the send
   * take effect on the next one.
   *
   * Warns once per payload type (`SignalPayloadWarning`) when the payload could not cross a
   * message broker as it is (a function, a class instance: see `findUnportableValue`); the
   * in-process backend delivers it anyway, a broker backend refuses it.
   *
   * Inside a transaction ({@link SignalTransaction}), the send is only recorded: it resolves
   * once recorded, and receivers run (or the message is published) after the outermost
   * transaction commits, never if it rolls back. Their failures are still logged then.
   *
   * @returns the errors receivers threw or rejected with (non-Error values wrapped, with the
   *   value as `cause`), each already logged. Empty when all succeeded. Inside a transaction:
   *   `[]`, or what kept the send from being recorded. Never rejects.
   */
  send(...args: SendArgs<T>): Promise<Error[]> {
    const payload = args[0] as T;
    this.#checkPayload(payload);
    const transaction = SignalTransaction.current();
    if (transaction !== undefined) return getBackend().sendInTransaction(this, payload, transaction);
    return getBackend().send(this, payload);
  }

  toString(): string {
    return `Signal(name='${this.name}', receivers=${getBackend().receivers(this).length})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  #checkPayload(payload: T): void {
    const unportable = findUnportableValue(payload);
    if (unportable === undefined) return;
    this.#warnedPayloadTypes ??= new Set();
    if (this.#warnedPayloadTypes.has(unportable)) return;
    this.#warnedPayloadTypes.add(unportable);
    process.emitWarning(
      `Signal '${this.name}' was sent a payload with a ${unportable}, which a message broker ` +
        'cannot deliver as it was: a broker backend refuses the send. Send data: plain objects, arrays, ' +
        'primitives, Date, Map, Set, bigint, RegExp, URL, Error or typed arrays.',
      { type: 'SignalPayloadWarning', code: 'SIGNAL_PAYLOAD_NOT_PORTABLE' },
    );
  }
}

function assertReceiver(receiver: unknown, signalName: string): void {
  if (typeof receiver !== 'function') {
    throw new TypeError(`A receiver of signal '${signalName}' must be a function, got ${typeof receiver}`);
  }
}

async function runThenRelease<R>(body: () => R | Promise<R>, release: () => void): Promise<R> {
  try {
    return await body();
  } finally {
    release();
  }
}
