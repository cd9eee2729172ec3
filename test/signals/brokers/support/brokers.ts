import { Connection } from 'rabbitmq-client';
import { createClient } from 'redis';
import type { BrokerBackend, DeadLetter } from '../../../../src/signals/brokers/index.js';
import { RabbitMQBackend, RedisStreamsBackend, type BrokerBackendOptions, type RedisConsumerTiming } from '../../../../src/signals/brokers/index.js';
import { AMQP_URL, REDIS_URL } from './services.js';
import { MemoryLogger } from './waiting.js';

export type BrokerName = 'redis' | 'rabbitmq';

/** What the shared reliability tests need to know about one broker, beyond the backend itself. */
export interface TestBroker {
  readonly name: BrokerName;
  readonly url: string;
  readonly separator: string;
  /** A closed loopback port: nothing listens there. */
  readonly unreachableUrl: string;
  /** Messages of one receiver not yet acked. Close the consuming backends first. */
  pendingCount(prefix: string, signalName: string, receiverName: string): Promise<number>;
  deadLetters(prefix: string): Promise<DeadLetter[]>;
  /** Removes every stream, key, queue and exchange the test made. */
  cleanup(prefix: string, signalName: string, receiverNames: readonly string[]): Promise<void>;
}

/** A backend with short retry and reclaim delays, so that the tests stay fast. */
export function createTestBackend(
  broker: BrokerName,
  prefix: string,
  options: BrokerBackendOptions & Partial<RedisConsumerTiming> & { readonly url?: string } = {},
): BrokerBackend {
  const shared = { prefix, logger: new MemoryLogger(), retryBaseDelayMs: 10, retryMaxDelayMs: 50, ...options };
  if (broker === 'rabbitmq') return new RabbitMQBackend({ url: AMQP_URL, ...shared });
  return new RedisStreamsBackend({ url: REDIS_URL, blockMs: 500, claimIdleMs: 1000, reclaimIntervalMs: 200, ...shared });
}

export const redisBroker: TestBroker = {
  name: 'redis',
  url: REDIS_URL,
  separator: ':',
  unreachableUrl: 'redis://127.0.0.1:1',
  pendingCount: (prefix, signalName, receiverName) =>
    withRedis(async (redis) => {
      const stream = `${prefix}stream:${signalName}`;
      if ((await redis.exists(stream)) === 0) return 0;
      const groups = await redis.xInfoGroups(stream);
      if (!groups.some((group) => String(group.name) === receiverName)) return 0;
      return (await redis.xPending(stream, receiverName)).pending;
    }),
  deadLetters: (prefix) =>
    withRedis(async (redis) => {
      const entries = await redis.xRange(`${prefix}dead-letters`, '-', '+');
      return entries.map((entry) => JSON.parse(String(entry.message.deadLetter)) as DeadLetter);
    }),
  cleanup: (prefix) =>
    withRedis(async (redis) => {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) keys.push(...batch);
      if (keys.length > 0) await redis.del(keys);
    }),
};

export const rabbitBroker: TestBroker = {
  name: 'rabbitmq',
  url: AMQP_URL,
  separator: '.',
  unreachableUrl: 'amqp://guest:guest@127.0.0.1:1',
  pendingCount: (prefix, signalName, receiverName) =>
    withRabbit(async (rabbit) => {
      const queue = `${prefix}signal.${signalName}.${receiverName}`;
      // The retry queue is declared on the first retry: a missing queue holds nothing.
      const count = (name: string) =>
        rabbit.queueDeclare({ queue: name, passive: true }).then((declared) => declared.messageCount, () => 0);
      return (await count(queue)) + (await count(`${queue}.retry`));
    }),
  deadLetters: (prefix) =>
    withRabbit(async (rabbit) => {
      const letters: DeadLetter[] = [];
      for (;;) {
        const message = await rabbit.basicGet({ queue: `${prefix}signals.dead-letters`, noAck: true });
        if (message === undefined) return letters;
        letters.push(message.body as DeadLetter);
      }
    }),
  cleanup: (prefix, signalName, receiverNames) =>
    withRabbit(async (rabbit) => {
      const queues = receiverNames.flatMap((name) => [`signal.${signalName}.${name}`, `signal.${signalName}.${name}.retry`]);
      for (const queue of [...queues, 'signals.dead-letters']) await rabbit.queueDelete({ queue: `${prefix}${queue}` });
      await rabbit.exchangeDelete({ exchange: `${prefix}signals` });
    }),
};

async function withRedis<R>(work: (redis: ReturnType<typeof createClient>) => Promise<R>): Promise<R> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    await redis.close();
  }
}

async function withRabbit<R>(work: (rabbit: Connection) => Promise<R>): Promise<R> {
  const rabbit = new Connection({ url: AMQP_URL, retryLow: 100 });
  // Connection trouble also rejects the work below; unheard, the event would crash the run.
  rabbit.on('error', () => undefined);
  try {
    return await work(rabbit);
  } finally {
    await rabbit.close();
  }
}
