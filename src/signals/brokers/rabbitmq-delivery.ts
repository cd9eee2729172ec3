import { ConsumerStatus, type AsyncMessage, type Publisher } from 'rabbitmq-client';
import type { ResolvedBrokerOptions } from './broker-options.js';
import type { ReceiverBinding } from './broker-receivers.js';
import { decodeEnvelope, encodeRetry, toEnvelope, type SignalEnvelope } from './envelope.js';
import type { RabbitTopology } from './rabbitmq-topology.js';
import { decideOutcome, giveUpUnfinished, invokeObserved, invokeReceiver, toDeadLetter, type Delivery } from './receiver-invoker.js';
import { retryDelayMs } from './timing.js';

/**
 * Handles one message for one receiver. The attempt travels in the envelope, counted by the
 * backend (a requeued nack is not counted on every server version): a failure re-publishes
 * the envelope with the next attempt to the retry queue, or after the last attempt to the
 * dead-letter queue, confirmed, and only then acks the original. If that publish fails, the
 * handler throws and the original is requeued as it was.
 */
export class RabbitDelivery {
  constructor(
    private readonly binding: ReceiverBinding,
    private readonly topology: RabbitTopology,
    private readonly publisher: Publisher,
    private readonly options: ResolvedBrokerOptions,
  ) {}

  /** The consumer callback: resolves to ACK once the message is fully dealt with. */
  readonly handle = async (message: AsyncMessage): Promise<ConsumerStatus> => {
    const envelope = decodeBody(message.body);
    if (envelope === undefined) return this.#deadLetterUnreadable(message);
    const delivery: Delivery = { binding: this.binding, envelope, attempt: envelope.attempt };
    const unfinished = unfinishedDeliveries(message);
    const exhausted = unfinished >= this.options.maxAttempts;
    const error = exhausted ? giveUpUnfinished(this.options.logger, delivery, unfinished) : await this.#run(delivery);
    const outcome = exhausted ? 'dead-letter' : decideOutcome(error, delivery.attempt, this.options.maxAttempts);
    if (outcome === 'retry') await this.#retry(delivery);
    if (outcome === 'dead-letter' && error !== undefined) await this.#deadLetter(delivery, error);
    return ConsumerStatus.ACK;
  };

  #run(delivery: Delivery): Promise<Error | undefined> {
    const { onReceiverSettled } = this.options;
    if (onReceiverSettled !== undefined) return invokeObserved(delivery, this.options, onReceiverSettled);
    return invokeReceiver(delivery, this.options);
  }

  async #retry(delivery: Delivery): Promise<void> {
    const { signal, name } = this.binding;
    const delay = retryDelayMs(delivery.attempt, {
      baseDelayMs: this.options.retryBaseDelayMs,
      maxDelayMs: this.options.retryMaxDelayMs,
    });
    const envelope = { routingKey: this.topology.retryQueue(signal.name, name), durable: true, expiration: String(delay) };
    await this.publisher.send({ ...envelope, messageId: delivery.envelope.id, contentType: 'application/json' }, Buffer.from(encodeRetry(delivery.envelope, delivery.attempt + 1)));
  }

  async #deadLetter(delivery: Delivery, error: Error): Promise<void> {
    const body = Buffer.from(JSON.stringify(toDeadLetter(delivery, error)));
    const headers = { signal: delivery.envelope.signal, receiver: this.binding.name, attempts: delivery.attempt };
    await this.publisher.send(
      { routingKey: this.topology.deadLetterQueue, durable: true, messageId: delivery.envelope.id, contentType: 'application/json', headers },
      body,
    );
  }

  /** A message no receiver can read is dead-lettered at once: retrying cannot repair it. */
  async #deadLetterUnreadable(message: AsyncMessage): Promise<ConsumerStatus> {
    const headers = { signal: this.binding.signal.name, receiver: this.binding.name, attempts: 0, error: 'not a signal envelope', deadLetteredAt: new Date().toISOString() };
    await this.publisher.send({ routingKey: this.topology.deadLetterQueue, durable: true, headers }, Buffer.from(bodyText(message.body)));
    return ConsumerStatus.ACK;
  }
}

/**
 * How often this copy of the message went back to the queue unfinished (its consumer died).
 * Quorum queues count it in `x-delivery-count`; classic queues do not, so there it is 0.
 */
function unfinishedDeliveries(message: AsyncMessage): number {
  const count = Number(message.headers?.['x-delivery-count'] ?? 0);
  return Number.isFinite(count) ? count : 0;
}

function decodeBody(body: unknown): SignalEnvelope | undefined {
  try {
    // rabbitmq-client parsed an application/json body already: parse it only once.
    if (typeof body === 'string' || Buffer.isBuffer(body)) return decodeEnvelope(bodyText(body));
    return toEnvelope(body);
  } catch {
    return undefined;
  }
}

/** rabbitmq-client hands over JSON bodies parsed, text as strings and the rest as Buffers. */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return JSON.stringify(body) ?? '';
}
