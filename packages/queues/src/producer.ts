/**
 * Typed producers: the only way code puts a job on a queue. The payload is validated against the
 * registry before it reaches Redis, so a malformed job is refused where it was made.
 */
import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";

import {
  QUEUES,
  parseJobPayload,
  type TJobName,
  type TJobPayload,
  type TQueueKey,
} from "./registry.js";

export type TProducer<K extends TQueueKey> = {
  readonly queue: Queue;
  add<J extends TJobName<K>>(
    jobName: J,
    payload: TJobPayload<K, J>,
    opts?: JobsOptions,
  ): Promise<string>;
  addBulk<J extends TJobName<K>>(
    jobs: { name: J; payload: TJobPayload<K, J>; opts?: JobsOptions }[],
  ): Promise<string[]>;
  close(): Promise<void>;
};

/** BullMQ refuses custom ids that contain ":" or are all digits; keep ids readable and legal. */
export function safeJobId(...parts: (string | number)[]): string {
  const id = parts.map((part) => String(part).replaceAll(":", "_")).join("-");

  return /^\d+$/.test(id) ? `j-${id}` : id;
}

export function createProducer<K extends TQueueKey>(
  queueKey: K,
  connection: Redis,
  prefix?: string,
): TProducer<K> {
  const def = QUEUES[queueKey];
  const queue = new Queue(def.name, {
    connection,
    prefix,
    defaultJobOptions: def.defaultJobOptions,
  });

  return {
    queue,
    async add(jobName, payload, opts) {
      const data = parseJobPayload(queueKey, jobName, payload);
      const job = await queue.add(jobName, data, opts);

      return job.id ?? "";
    },
    async addBulk(jobs) {
      const prepared = jobs.map((job) => ({
        name: job.name,
        data: parseJobPayload(queueKey, job.name, job.payload),
        opts: { ...def.defaultJobOptions, ...job.opts },
      }));
      const added = await queue.addBulk(prepared);

      return added.map((job) => job.id ?? "");
    },
    async close() {
      await queue.close();
    },
  };
}
