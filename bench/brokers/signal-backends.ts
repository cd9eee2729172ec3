import { RabbitMQBackend, RedisStreamsBackend, type BrokerBackend } from '../../src/signals/brokers/index.js';
import { Signal, type SignalLogger } from '../../src/signals/index.js';
import { deleteRedisKeys, deleteTrackedRabbitObjects, trackRabbitObjects } from './cleanup.js';
import { CONCURRENCY, never, receiverName, settleAll, SIGNAL_NAME, type Contender, type Pipeline, type RunSetup, type Sample } from './contender.js';

/**
 * The project's backends as an app uses them: a sending backend (the web process) and a
 * consuming one (the worker), each with its own connections, here in one process. Every
 * option is the default except the prefix, the logger and the concurrency of 16.
 */
async function backendPipeline(
  setup: RunSetup,
  make: (consume: boolean) => BrokerBackend,
  removeObjects: (consumer: BrokerBackend) => Promise<void>,
): Promise<Pipeline> {
  const consumer = make(true);
  const sender = make(false);
  const signal = new Signal<Sample>(SIGNAL_NAME);
  const stop = (): Promise<void> =>
    settleAll([() => Promise.all([consumer.close(), sender.close()]), () => removeObjects(consumer)]);
  try {
    for (let k = 0; k < setup.receivers; k++) {
      consumer.connect(signal, (sample) => setup.record(k, sample), { name: receiverName(k) });
    }
    await consumer.whenConsuming();
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  const send = async (sample: Sample): Promise<void> => {
    const [error] = await sender.send(signal, sample);
    if (error !== undefined) throw error;
  };
  return { send, failed: never, stop };
}

export function redisStreamsBackend(url: string, logger: SignalLogger): Contender {
  return {
    name: 'RedisStreamsBackend',
    start(setup) {
      const options = { url, prefix: setup.names.redisPrefix, logger, batchSize: CONCURRENCY };
      return backendPipeline(
        setup,
        (consume) => new RedisStreamsBackend({ ...options, consume }),
        () => deleteRedisKeys(url, setup.names.redisPrefix).then(() => undefined),
      );
    },
  };
}

export function rabbitMQBackend(url: string, logger: SignalLogger): Contender {
  return {
    name: 'RabbitMQBackend',
    start(setup) {
      const options = { url, prefix: setup.names.rabbitPrefix, logger, prefetch: CONCURRENCY };
      // The names come from the backend's own topology, listed before anything is declared.
      const { topology } = new RabbitMQBackend(options);
      const receivers = Array.from({ length: setup.receivers }, (_, k) => receiverName(k));
      const queues = receivers.flatMap((name) => [topology.queue(SIGNAL_NAME, name), topology.retryQueue(SIGNAL_NAME, name)]);
      const own = trackRabbitObjects(setup.ledger, [...queues, topology.deadLetterQueue], [topology.exchange]);
      return backendPipeline(
        setup,
        (consume) => new RabbitMQBackend({ ...options, consume }),
        () => deleteTrackedRabbitObjects(url, setup.ledger, own),
      );
    },
  };
}
