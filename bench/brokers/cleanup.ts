import { Connection } from 'rabbitmq-client';
import { createClient } from 'redis';
import type { RabbitLedger } from './contender.js';

/** Deletes every Redis key that starts with `prefix`; resolves to how many there were. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = createClient({ url });
  await redis.connect();
  try {
    let deleted = 0;
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await redis.del(keys);
    }
    return deleted;
  } finally {
    await redis.close();
  }
}

/** Counts the Redis keys that start with `prefix` (what a cleanup left behind). */
export async function countRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = createClient({ url });
  await redis.connect();
  try {
    let count = 0;
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) count += keys.length;
    return count;
  } finally {
    await redis.close();
  }
}

/**
 * Deletes the queues and exchanges listed in `ledger` (RabbitMQ answers OK for one that does
 * not exist), on `connection` or on a connection of its own, and empties the ledger entries
 * it removed.
 */
export async function deleteRabbitObjects(url: string, ledger: RabbitLedger, connection?: Connection): Promise<void> {
  const rabbit = connection ?? new Connection({ url, connectionTimeout: 5000, acquireTimeout: 5000, retryLow: 100, retryHigh: 500 });
  try {
    for (const queue of [...ledger.queues]) {
      await rabbit.queueDelete({ queue });
      ledger.queues.delete(queue);
    }
    for (const exchange of [...ledger.exchanges]) {
      await rabbit.exchangeDelete({ exchange });
      ledger.exchanges.delete(exchange);
    }
  } finally {
    if (connection === undefined) await rabbit.close();
  }
}

/**
 * The objects one run declares, listed in the bench's ledger too (`all`) before they exist:
 * the run deletes them when it stops, and the bench's final cleanup deletes whatever a
 * failed run left.
 */
export function trackRabbitObjects(all: RabbitLedger, queues: readonly string[], exchanges: readonly string[]): RabbitLedger {
  const own: RabbitLedger = { queues: new Set(queues), exchanges: new Set(exchanges) };
  for (const queue of queues) all.queues.add(queue);
  for (const exchange of exchanges) all.exchanges.add(exchange);
  return own;
}

/** Deletes a run's objects and strikes them from the bench's ledger. */
export async function deleteTrackedRabbitObjects(url: string, all: RabbitLedger, own: RabbitLedger, connection?: Connection): Promise<void> {
  const names = { queues: new Set(own.queues), exchanges: new Set(own.exchanges) };
  await deleteRabbitObjects(url, own, connection);
  for (const queue of names.queues) all.queues.delete(queue);
  for (const exchange of names.exchanges) all.exchanges.delete(exchange);
}
