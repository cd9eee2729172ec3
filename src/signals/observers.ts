import { toError } from './errors.js';
import { logReceiverFailure, type SignalLogger } from './logger.js';

/**
 * Calls a backend's observer (`onSent`, `onReceiverSettled`) with `event`. Whatever it throws is
 * logged at error level, as a receiver named after the hook would be, and goes no further:
 * metrics must never break a send or a delivery.
 */
export function notifyObserver<E>(
  observer: (event: E) => void,
  event: E,
  logger: SignalLogger,
  signalName: string,
  hook: 'onSent' | 'onReceiverSettled',
): void {
  try {
    observer(event);
  } catch (thrown) {
    logReceiverFailure(logger, signalName, hook, toError(thrown, signalName, hook));
  }
}
