import { Queue, Worker } from 'bullmq';
import { withTimeout } from '../../src/signals/brokers/timing.js';
import { deleteRedisKeys } from './cleanup.js';
import { CONCURRENCY, receiverName, settleAll, SETUP_TIMEOUT_MS, SIGNAL_NAME, type Contender, type Pipeline, type Sample } from './contender.js';

/**
 * BullMQ on the same Redis, the anchor: a queue per receiver (BullMQ has no fan-out, so a
 * send adds the job to each queue) and a Worker with concurrency 16 on each, jobs removed once
 * done. Its keys live under the run's prefix.
 */
export function bullmq(url: string): Contender {
  const { hostname, port } = new URL(url);
  const connection = { host: hostname, port: Number(port || 6379) };
  return {
    name: 'BullMQ',
    async start(setup): Promise<Pipeline> {
      const prefix = `${setup.names.redisPrefix}bull`;
      const queues: Queue<Sample>[] = [];
      const workers: Worker<Sample>[] = [];
      let stopping = false;
      let reportFailure: (error: Error) => void = () => undefined;
      const failed = new Promise<never>((_, reject) => (reportFailure = reject));
      failed.catch(() => undefined);
      const onError = (error: Error): void => {
        if (!stopping) reportFailure(new Error(`BullMQ: ${error.message}`));
      };
      const stop = (): Promise<void> =>
        settleAll([
          () => {
            stopping = true;
            return Promise.all(workers.map((worker) => worker.close()));
          },
          () => Promise.all(queues.map((queue) => queue.obliterate({ force: true }))),
          () => Promise.all(queues.map((queue) => queue.close())),
          () => deleteRedisKeys(url, setup.names.redisPrefix),
        ]);
      try {
        for (let k = 0; k < setup.receivers; k++) {
          const name = receiverName(k);
          const queue = new Queue<Sample>(name, { connection, prefix });
          const worker = new Worker<Sample>(name, async (job) => setup.record(k, job.data), { connection, prefix, concurrency: CONCURRENCY });
          queue.on('error', onError);
          worker.on('error', onError);
          queues.push(queue);
          workers.push(worker);
        }
        const ready = Promise.all([...queues.map((queue) => queue.waitUntilReady()), ...workers.map((worker) => worker.waitUntilReady())]);
        await withTimeout(Promise.race([ready, failed]), SETUP_TIMEOUT_MS, 'BullMQ: queues and workers not ready');
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
      const options = { removeOnComplete: true, removeOnFail: true };
      const send = async (sample: Sample): Promise<void> => {
        await Promise.all(queues.map((queue) => queue.add(SIGNAL_NAME, sample, options)));
      };
      return { send, failed, stop };
    },
  };
}
