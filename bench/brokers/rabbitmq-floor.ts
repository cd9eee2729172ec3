import { Connection, type AsyncMessage, type Consumer } from 'rabbitmq-client';
import { RabbitTopology } from '../../src/signals/brokers/rabbitmq-topology.js';
import { withTimeout } from '../../src/signals/brokers/timing.js';
import { deleteTrackedRabbitObjects, trackRabbitObjects } from './cleanup.js';
import {
  CONCURRENCY,
  floorEnvelope,
  MAX_ATTEMPTS,
  receiverName,
  settleAll,
  SETUP_TIMEOUT_MS,
  SIGNAL_NAME,
  type Contender,
  type FloorEnvelope,
  type Pipeline,
  type Sample,
} from './contender.js';

/**
 * What rabbitmq-client alone does for the backend's contract: the producer publishes the JSON
 * envelope to a durable direct exchange, persistent, `mandatory` (a returned message fails
 * the run), with publisher confirms, and `send` resolves on the confirm. Each receiver has a
 * quorum queue declared with the project's arguments (RabbitTopology: `x-queue-type` quorum,
 * `x-delivery-limit` 5, dead-lettering to the dead-letter queue) bound to the exchange, and a
 * consumer with prefetch 16 and concurrency 16 that parses the body (the client does, for
 * `application/json`), calls the receiver and acks once it returned. Producer and consumers
 * have a connection each, as the backends' sending and consuming processes do.
 */
export function rabbitMQFloor(url: string): Contender {
  return {
    name: 'rabbitmq-client floor',
    async start(setup): Promise<Pipeline> {
      const topology = new RabbitTopology(`${setup.names.rabbitPrefix}floor.`, 'quorum', MAX_ATTEMPTS);
      const receivers = Array.from({ length: setup.receivers }, (_, k) => receiverName(k));
      const queues = receivers.map((name) => topology.queue(SIGNAL_NAME, name));
      const own = trackRabbitObjects(setup.ledger, [...queues, topology.deadLetterQueue], [topology.exchange]);
      const connectionOptions = { url, connectionTimeout: 5000, acquireTimeout: 5000, retryLow: 100, retryHigh: 1000 };
      const consuming = new Connection(connectionOptions);
      const producing = new Connection(connectionOptions);
      let reportFailure: (error: Error) => void = () => undefined;
      const failed = new Promise<never>((_, reject) => (reportFailure = reject));
      failed.catch(() => undefined);
      let stopping = false;
      const onError = (what: string) => (error: unknown) => {
        if (!stopping) reportFailure(new Error(`rabbitmq-client floor: ${what}: ${String(error)}`));
      };
      consuming.on('error', onError('consumer connection'));
      producing.on('error', onError('producer connection'));
      const consumers: Consumer[] = [];
      const publisher = producing.createPublisher({ confirm: true });
      let returned = 0;
      publisher.on('basic.return', () => {
        returned++;
        reportFailure(new Error(`rabbitmq-client floor: ${returned} message(s) returned unroutable`));
      });
      const stop = (): Promise<void> =>
        settleAll([
          async () => {
            stopping = true;
            await Promise.all(consumers.map((consumer) => consumer.close()));
          },
          () => publisher.close(),
          () => deleteTrackedRabbitObjects(url, setup.ledger, own, consuming),
          () => Promise.all([consuming.close(), producing.close()]),
        ]);
      const declareAndConsume = async (): Promise<void> => {
        await consuming.exchangeDeclare(topology.exchangeDeclaration());
        await consuming.queueDeclare(topology.queueDeclaration(topology.deadLetterQueue));
        for (const name of receivers) {
          await consuming.queueDeclare(topology.receiverQueueDeclaration(SIGNAL_NAME, name));
          await consuming.queueBind(topology.binding(SIGNAL_NAME, name));
        }
        const ready = receivers.map((name, k) => {
          const handle = async (message: AsyncMessage): Promise<void> => {
            const envelope = (Buffer.isBuffer(message.body) ? JSON.parse(message.body.toString('utf8')) : message.body) as FloorEnvelope;
            await setup.record(k, envelope.payload);
          };
          const queue = topology.queue(SIGNAL_NAME, name);
          // queueOptions as the backend passes them: the consumer declares its queue on every (re)connect.
          const queueOptions = topology.receiverQueueDeclaration(SIGNAL_NAME, name);
          const props = { queue, queueOptions, qos: { prefetchCount: CONCURRENCY }, concurrency: CONCURRENCY, requeue: true };
          const consumer = consuming.createConsumer(props, handle);
          consumer.on('error', onError(`consumer of ${queue}`));
          consumers.push(consumer);
          return new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
        });
        await Promise.all(ready);
      };
      try {
        await withTimeout(Promise.race([declareAndConsume(), failed]), SETUP_TIMEOUT_MS, 'rabbitmq-client floor: consumers not ready');
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
      const target = { exchange: topology.exchange, routingKey: SIGNAL_NAME, mandatory: true, durable: true, contentType: 'application/json' };
      const send = async (sample: Sample): Promise<void> => {
        const envelope = floorEnvelope(sample);
        await publisher.send({ ...target, messageId: envelope.id }, Buffer.from(JSON.stringify(envelope)));
      };
      return { send, failed, stop };
    },
  };
}
