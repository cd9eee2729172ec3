import { DispatchContext } from '../context.js';
import { toError } from '../errors.js';
import { isThenable } from '../in-process-backend.js';
import { logReceiverFailure, type SignalLogger } from '../logger.js';
import { notifyObserver } from '../observers.js';
import { extractTraceContext, inSpan, isTracing, startProcessSpan } from '../tracing.js';
import type { Receiver, ReceiverOutcome, ReceiverSettledObserver } from '../types.js';
import type { ReceiverBinding } from './broker-receivers.js';
import type { ResolvedBrokerOptions } from './broker-options.js';
import { payloadOf, type SignalEnvelope } from './envelope.js';

/** What a consumer needs to run one receiver on one delivery. */
export interface Delivery {
  readonly binding: ReceiverBinding;
  readonly envelope: SignalEnvelope;
  /** Which delivery of this message to this receiver it is, counted by the backend. */
  readonly attempt: number;
}

/** What {@link invokeReceiver} needs of the backend's options. */
export type InvokeOptions = Pick<ResolvedBrokerOptions, 'runInContext' | 'logger' | 'messagingSystem'>;

/**
 * Runs the receiver of `delivery` inside the message's request context, with the envelope
 * id and the attempt in its {@link DispatchContext}, in a `process <signal>` span: a child of
 * the send's span, whose context the envelope carries (`context.trace`), and linked to it.
 * Every attempt is a span of its own (`signal.attempt`); a failed one has ERROR status.
 *
 * @returns undefined on success, else the error (already logged with the message id,
 *   attempt and request id). Never rejects.
 */
export function invokeReceiver(delivery: Delivery, options: InvokeOptions): Promise<Error | undefined> {
  // Untraced, nothing to extract or describe: one message costs no span bookkeeping.
  if (!isTracing()) return runReceiver(delivery, options.runInContext, options.logger);
  const { binding, envelope, attempt } = delivery;
  const { parent, links } = extractTraceContext(envelope.context.trace);
  const fields = { system: options.messagingSystem, signalName: binding.signal.name, receiverName: binding.name, messageId: envelope.id, attempt };
  return inSpan(startProcessSpan(fields, parent, links), parent, () => runReceiver(delivery, options.runInContext, options.logger));
}

async function runReceiver(delivery: Delivery, runInContext: InvokeOptions['runInContext'], logger: SignalLogger): Promise<Error | undefined> {
  const { binding, envelope, attempt } = delivery;
  const context = new DispatchContext(binding.signal, envelope.id, attempt);
  try {
    const result = runInContext(envelope.context, () => binding.receiver(payloadOf(envelope), context));
    // A sync receiver's result is not awaited: one microtask less per message.
    if (isThenable(result)) await result;
    return undefined;
  } catch (thrown) {
    const error = toError(thrown, binding.signal.name, binding.name);
    runInContext(envelope.context, () =>
      logReceiverFailure(logger, binding.signal.name, binding.name, error, {
        messageId: envelope.id,
        attempt,
        requestId: envelope.context.requestId,
      }),
    );
    return error;
  }
}

/**
 * {@link invokeReceiver}, timed, then tells `observer` the outcome {@link decideOutcome} gives
 * (what the consumer does next with the message). Never rejects; what the observer throws is
 * logged and ignored.
 */
export async function invokeObserved(
  delivery: Delivery,
  options: ResolvedBrokerOptions,
  observer: ReceiverSettledObserver,
): Promise<Error | undefined> {
  const started = performance.now();
  const error = await invokeReceiver(delivery, options);
  const durationMs = performance.now() - started;
  const { binding, envelope, attempt } = delivery;
  const outcome = REPORTED_OUTCOMES[decideOutcome(error, attempt, options.maxAttempts)];
  const receiver = binding.receiver as unknown as Receiver<never>;
  const event = { signal: binding.signal, receiver, receiverName: binding.name, durationMs, error, outcome, attempt, messageId: envelope.id };
  notifyObserver(observer, event, options.logger, binding.signal.name, 'onReceiverSettled');
  return error;
}

/**
 * Gives up on a message whose earlier `deliveries` never finished, as when it crashes the
 * consumer each time: logs it and returns the error to dead-letter it with, unrun.
 */
export function giveUpUnfinished(logger: SignalLogger, delivery: Delivery, deliveries: number): Error {
  const error = new Error(`Delivered ${deliveries} times without finishing (did it crash the consumer?); not run again`);
  logger.warn(`Message ${delivery.envelope.id} was delivered ${deliveries} times without finishing; dead-lettered`, {
    signal: delivery.envelope.signal,
    receiver: delivery.binding.name,
    messageId: delivery.envelope.id,
  });
  return error;
}

/** What to do with a message after a delivery. */
export type DeliveryOutcome = 'ack' | 'retry' | 'dead-letter';

/** What an observer is told for each {@link DeliveryOutcome}. */
const REPORTED_OUTCOMES: Readonly<Record<DeliveryOutcome, ReceiverOutcome>> = { ack: 'success', retry: 'retry', 'dead-letter': 'dead-lettered' };

/** Ack on success; retry a failure until `maxAttempts` deliveries; then dead-letter it. */
export function decideOutcome(error: Error | undefined, attempt: number, maxAttempts: number): DeliveryOutcome {
  if (error === undefined) return 'ack';
  return attempt >= maxAttempts ? 'dead-letter' : 'retry';
}

/** The record written to the dead-letter stream or queue. */
export interface DeadLetter {
  readonly envelope: SignalEnvelope;
  readonly receiver: string;
  readonly attempts: number;
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
  readonly deadLetteredAt: string;
}

/** Builds the dead letter of `delivery`, which failed for the last time with `error`. */
export function toDeadLetter(delivery: Delivery, error: Error): DeadLetter {
  return {
    envelope: delivery.envelope,
    receiver: delivery.binding.name,
    attempts: delivery.attempt,
    error: { name: error.name, message: error.message, stack: error.stack },
    deadLetteredAt: new Date().toISOString(),
  };
}
