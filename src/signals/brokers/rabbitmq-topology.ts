import type { Cmd, MethodParams } from 'rabbitmq-client';

type QueueDeclaration = MethodParams[Cmd.QueueDeclare];
type ExchangeDeclaration = MethodParams[Cmd.ExchangeDeclare];
type QueueBinding = MethodParams[Cmd.QueueBind];

/** `quorum` (replicated, RabbitMQ 3.8+) or `classic` for older servers. */
export type RabbitQueueType = 'quorum' | 'classic';

/**
 * The RabbitMQ names and declarations of one backend. One direct exchange carries every
 * signal, routed by signal name; each receiver has a durable queue bound to it (fan-out
 * across receivers, competing consumers within one), a retry queue whose expired messages
 * flow back into it, and the backend has one dead-letter queue.
 */
export class RabbitTopology {
  constructor(
    readonly prefix: string,
    readonly queueType: RabbitQueueType,
    /** Deliveries of one message before the broker itself dead-letters it (quorum queues). */
    readonly deliveryLimit = 5,
  ) {}

  /** The direct exchange every signal is published to, routed by signal name. */
  get exchange(): string {
    return `${this.prefix}signals`;
  }

  /** The one queue of dead letters of this backend. */
  get deadLetterQueue(): string {
    return `${this.prefix}signals.dead-letters`;
  }

  /** The queue of one receiver of one signal. */
  queue(signalName: string, receiverName: string): string {
    return `${this.prefix}signal.${signalName}.${receiverName}`;
  }

  /** Where a failed message waits out its backoff (per-message TTL) before it returns to `queue`. */
  retryQueue(signalName: string, receiverName: string): string {
    return `${this.queue(signalName, receiverName)}.retry`;
  }

  /** Durable, so that it survives a broker restart. */
  exchangeDeclaration(): ExchangeDeclaration {
    return { exchange: this.exchange, type: 'direct', durable: true };
  }

  /** A durable queue of the configured type. */
  queueDeclaration(queue: string): QueueDeclaration {
    return { queue, durable: true, arguments: { 'x-queue-type': this.queueType } };
  }

  /**
   * The receiver's queue. A quorum queue gets an explicit delivery limit and the dead-letter
   * queue as its dead-letter target: a message redelivered that often (it keeps killing its
   * worker, so no attempt ever settles it) is dead-lettered by the broker rather than dropped.
   * RabbitMQ 4 gives quorum queues a default limit of 20 and drops what exceeds it when no
   * target is set. Retries after a receiver's failure do not count here: they are new messages
   * through the retry queue, counted in the envelope.
   */
  receiverQueueDeclaration(signalName: string, receiverName: string): QueueDeclaration {
    const declaration = this.queueDeclaration(this.queue(signalName, receiverName));
    if (this.queueType !== 'quorum') return declaration;
    const deadLettering = {
      'x-delivery-limit': this.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': this.deadLetterQueue,
    };
    return { ...declaration, arguments: { ...declaration.arguments, ...deadLettering } };
  }

  /** Routes the signal's messages to the receiver's queue. */
  binding(signalName: string, receiverName: string): QueueBinding {
    return { exchange: this.exchange, queue: this.queue(signalName, receiverName), routingKey: signalName };
  }

  /**
   * A classic queue whatever `queueType` is: it only holds messages for their backoff, and
   * per-message TTL with dead-lettering back to the receiver's queue works the same on every
   * server version. Messages expire at its head only, so a long delay can hold up a shorter
   * one queued behind it: delays grow with the attempt, which keeps that rare and bounded.
   */
  retryQueueDeclaration(signalName: string, receiverName: string): QueueDeclaration {
    return {
      queue: this.retryQueue(signalName, receiverName),
      durable: true,
      arguments: {
        'x-queue-type': 'classic',
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': this.queue(signalName, receiverName),
      },
    };
  }
}
