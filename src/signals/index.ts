export { Signal, type ConnectionScope } from './signal.js';
export type {
  AnySignal,
  ConnectOptions,
  Receiver,
  ReceiverContext,
  ReceiverOutcome,
  ReceiverSettledEvent,
  ReceiverSettledObserver,
  SendArgs,
  SentEvent,
  SentObserver,
} from './types.js';
export { BaseSignalBackend } from './backend.js';
export { SignalTransaction, type AfterCommitTask } from './transaction.js';
export { InProcessBackend, type InProcessBackendOptions } from './in-process-backend.js';
export { RecordingBackend, type DispatchedSignal } from './recording-backend.js';
export { getBackend, setBackend, resetBackend, withBackend } from './current-backend.js';
export { captureSignals, type SignalCapture } from './capture.js';
export { ReceiverFailedError, ReceiverTimeoutError } from './errors.js';
export { getDefaultSignalLogger, type SignalLogger } from './logger.js';
export { findUnportableValue } from './payload-check.js';
export { describeThrown, errorLogFields, type ErrorLogFields } from './error-fields.js';
export { addDurations, assertDuration, MAX_TIMER_DELAY_MS } from './duration.js';
export { runDetached } from './detached.js';
export { combineObservers, type BackendObservers } from './observers.js';
