import { randomUUID } from 'node:crypto';
import { DispatchContext } from '../context.js';
import type { Signal } from '../signal.js';
import { encodeEnvelope, payloadOf } from './envelope.js';

/** Which delivery {@link redeliver} plays. */
export interface Redelivery {
  /** The message id a broker gives every delivery of one message. Default: a new UUID. */
  readonly messageId?: string;
  /** Which delivery of that message it is, from 1. Default 1. */
  readonly attempt?: number;
}

/**
 * Runs the receiver named `receiverName` of `signal` (on the current backend) as a broker
 * backend runs it on one delivery: the payload after its trip through the envelope (so types
 * that would not survive a broker fail here too), and a context with `messageId` and `attempt`.
 *
 * For testing that a receiver is idempotent without a broker: deliver the same `messageId`
 * twice and check that its effect shows once (a row, a mail).
 *
 * @example
 * await redeliver(userCreated, 'sendWelcomeEmail', ada, { messageId: 'msg-1', attempt: 1 });
 * await redeliver(userCreated, 'sendWelcomeEmail', ada, { messageId: 'msg-1', attempt: 2 });
 * // one welcome mail in the mailbox
 *
 * @throws Error when no receiver of that name is connected; `UnportablePayloadError` for a
 *   payload a broker would refuse; whatever the receiver throws (unlike a send, this is a test
 *   helper: the failure is the test's).
 */
export async function redeliver<T>(signal: Signal<T>, receiverName: string, payload: T, delivery: Redelivery = {}): Promise<void> {
  const receiver = signal.receivers.find((candidate) => candidate.name === receiverName);
  if (receiver === undefined) {
    const names = signal.receivers.map((candidate) => candidate.name || '<anonymous>');
    throw new Error(`No receiver named ${receiverName} on signal '${signal.name}'; connected: ${names.join(', ') || 'none'}`);
  }
  const envelope = encodeEnvelope(signal.name, payload, {});
  const context = new DispatchContext(signal, delivery.messageId ?? randomUUID(), delivery.attempt ?? 1);
  await receiver(payloadOf(envelope) as T, context);
}
