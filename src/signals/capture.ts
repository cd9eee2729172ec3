import type { DispatchedSignal } from './recording-backend.js';
import type { Signal } from './signal.js';
import type { AnySignal, Receiver } from './types.js';

/** What {@link captureSignals} returns. Dispose it to disconnect its receivers. */
export interface SignalCapture extends Disposable {
  /**
   * The payloads `signal` was sent with since capture began (or since `clear()`), in order.
   *
   * @throws Error when `signal` is not one of the captured signals, so that a typo cannot
   *   pass as "nothing was sent".
   */
  sent<T>(signal: Signal<T>): T[];
  /** Every captured send across all signals, in order. */
  readonly all: readonly DispatchedSignal[];
  /** Forgets what was captured; keeps capturing. */
  clear(): void;
  /** Disconnects the capturing receivers. Safe to call twice. */
  dispose(): void;
}

/**
 * Connects a recording receiver to each signal on the current backend, after the receivers
 * already there. The one-liner a supertest suite needs to assert what a request fired.
 *
 * @example
 * using captured = captureSignals(userCreated, userDeleted);
 * await request(app).post('/users').send(input).expect(201);
 * expect(captured.sent(userCreated)).to.deep.equal([{ id: 1, email, name }]);
 */
export function captureSignals(...signals: AnySignal[]): SignalCapture {
  const all: DispatchedSignal[] = [];
  const connections = signals.map((signal: Signal<unknown>) => {
    const receiver: Receiver<unknown> = function captureSignals(payload) {
      all.push({ signal, payload });
    };
    return { signal, scope: signal.connectedTo(receiver) };
  });
  const dispose = (): void => connections.forEach(({ scope }) => scope.dispose());
  return {
    all,
    sent<T>(signal: Signal<T>): T[] {
      if (!connections.some((connection) => connection.signal === (signal as AnySignal))) {
        throw new Error(`Signal '${signal.name}' is not captured: pass it to captureSignals()`);
      }
      return all.filter((entry) => entry.signal === (signal as AnySignal)).map((entry) => entry.payload as T);
    },
    clear: () => void all.splice(0),
    dispose,
    [Symbol.dispose]: dispose,
  };
}
