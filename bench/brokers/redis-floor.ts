import { createClient } from 'redis';
import { withTimeout } from '../../src/signals/brokers/timing.js';
import { deleteRedisKeys } from './cleanup.js';
import { CONCURRENCY, floorEnvelope, receiverName, settleAll, SETUP_TIMEOUT_MS, type Contender, type FloorEnvelope, type Pipeline, type Sample } from './contender.js';

type RedisClient = ReturnType<typeof createClient>;

/** XREADGROUP BLOCK, as the backend's default `blockMs`: a read waits this long for entries. */
const BLOCK_MS = 1000;

interface RawEntry {
  readonly id: string;
  readonly message: Record<string, string>;
}

/**
 * What node-redis alone does for the backend's contract (at least once, fan-out by consumer
 * group): the producer XADDs the JSON envelope (node-redis pipelines the commands in flight);
 * each receiver has its consumer group and a connection of its own that loops XREADGROUP
 * COUNT 16 BLOCK 1000, parses each envelope, calls the receiver (all of a read at once,
 * awaited) and then XACKs the ids of the read in one command, sent before the next read on the
 * same connection. Nothing is acked before its receiver returned.
 */
export function redisFloor(url: string): Contender {
  return {
    name: 'node-redis floor',
    async start(setup): Promise<Pipeline> {
      const stream = `${setup.names.redisPrefix}stream:floor`;
      const groups = Array.from({ length: setup.receivers }, (_, k) => receiverName(k));
      let stopping = false;
      let reportFailure: (error: Error) => void = () => undefined;
      const failed = new Promise<never>((_, reject) => (reportFailure = reject));
      failed.catch(() => undefined);
      const fail = (error: unknown): void => {
        if (!stopping) reportFailure(new Error(`node-redis floor: ${String(error)}`));
      };
      const clients: RedisClient[] = [];
      const open = async (): Promise<RedisClient> => {
        const client = createClient({ url });
        client.on('error', fail);
        clients.push(client);
        await client.connect();
        return client;
      };
      const loops: Promise<void>[] = [];
      const stop = (): Promise<void> =>
        settleAll([
          async () => {
            stopping = true;
            await Promise.allSettled(loops);
          },
          () => Promise.all(clients.filter((client) => client.isOpen).map((client) => client.close())),
          () => deleteRedisKeys(url, setup.names.redisPrefix),
        ]);
      try {
        const connect = async (): Promise<[RedisClient, RedisClient[]]> => {
          const producer = await open();
          for (const group of groups) await producer.xGroupCreate(stream, group, '$', { MKSTREAM: true });
          return [producer, await Promise.all(groups.map(() => open()))];
        };
        const [producer, readers] = await withTimeout(connect(), SETUP_TIMEOUT_MS, 'node-redis floor: not connected');

        const consume = async (reader: RedisClient, group: string, k: number): Promise<void> => {
          let acking: Promise<unknown> = Promise.resolve();
          while (!stopping) {
            const reply = await reader.xReadGroup(group, 'floor', { key: stream, id: '>' }, { COUNT: CONCURRENCY, BLOCK: BLOCK_MS });
            await acking;
            const entries = entriesOf(reply);
            if (entries.length === 0) continue;
            await Promise.all(
              entries.map(async (entry) => {
                const envelope = JSON.parse(entry.message.envelope ?? '') as FloorEnvelope;
                await setup.record(k, envelope.payload);
              }),
            );
            acking = reader.xAck(
              stream,
              group,
              entries.map((entry) => entry.id),
            );
          }
          await acking;
        };
        for (const [k, reader] of readers.entries()) {
          const loop = consume(reader, groups[k] ?? '', k);
          loop.then(() => fail('a read loop ended before the run did'), fail);
          loops.push(loop);
        }
        const send = async (sample: Sample): Promise<void> => {
          await producer.xAdd(stream, '*', { envelope: JSON.stringify(floorEnvelope(sample)) });
        };
        return { send, failed, stop };
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
    },
  };
}

function entriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  return (reply as { messages?: RawEntry[] }[]).flatMap((stream) => stream.messages ?? []);
}
