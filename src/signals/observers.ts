import { toError } from './errors.js';
import { logReceiverFailure, type SignalLogger } from './logger.js';
import type { ReceiverSettledObserver, SentObserver } from './types.js';

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

/** A backend's two observers, either of which may be left out. */
export interface BackendObservers {
  readonly onSent?: SentObserver;
  readonly onReceiverSettled?: ReceiverSettledObserver;
}

/**
 * One pair of observers that calls those of every set in turn (metrics and the dashboard's
 * stats, say). Each is called even when one before it throws; the first error is then thrown
 * on, for the backend to log.
 */
export function combineObservers(...sets: readonly BackendObservers[]): Required<BackendObservers> {
  const sent = sets.flatMap((set) => (set.onSent === undefined ? [] : [set.onSent]));
  const settled = sets.flatMap((set) => (set.onReceiverSettled === undefined ? [] : [set.onReceiverSettled]));
  return { onSent: (event) => callEach(sent, event), onReceiverSettled: (event) => callEach(settled, event) };
}

function callEach<E>(observers: readonly ((event: E) => void)[], event: E): void {
  let failure: { error: unknown } | undefined;
  for (const observer of observers) {
    try {
      observer(event);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
