/**
 * Hands on records nobody is working on any more (packages/sync stranded-records.ts). It sweeps
 * only when that is certain: no poll running, and the mailchimp-write queue empty in every state
 * a job can wait in (waiting, active, delayed, prioritized). A Redis lock lets one replica sweep
 * per interval.
 */
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

import type { TPrisma } from "@ml-connector/db";
import { enqueueWriteRecords, type TProducer } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import { handOnStranded, type TStrandedSweep } from "@ml-connector/sync";

export type TSweeperOptions = {
  intervalMs: number;
  /** A record untouched this long in "received" or "queued" counts as stranded. */
  strandedAfterMs: number;
  limit?: number;
};

export class StrandedRecordSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: {
      prisma: TPrisma;
      redis: Redis;
      prefix: string;
      polls: Queue;
      writes: TProducer<"mailchimpWrite">;
      log: Logger;
    },
    private readonly options: TSweeperOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err: unknown) => this.deps.log.error({ err }, "stranded-record sweep failed"))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; `skipped` says why nothing was looked at. */
  async sweep(): Promise<TStrandedSweep | { skipped: string }> {
    const { prisma, redis, prefix, polls, writes, log } = this.deps;
    const lock = await redis.set(
      `${prefix}:stranded-sweep`,
      "1",
      "PX",
      Math.max(1_000, this.options.intervalMs - 500),
      "NX",
    );
    if (lock !== "OK") return { skipped: "another replica swept this interval" };
    if ((await polls.getActiveCount()) > 0) return { skipped: "a poll is running" };
    const pending = await writes.queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    const busy = Object.values(pending).reduce((sum, count) => sum + count, 0);
    if (busy > 0) return { skipped: `${busy} write jobs still pending` };

    const sweep = await handOnStranded(prisma, {
      olderThan: new Date(Date.now() - this.options.strandedAfterMs),
      limit: this.options.limit ?? 50_000,
      log,
      // No run id: each sweep's jobs are new ones, never folded into kept earlier jobs.
      enqueue: (connectionId, entity, ids) =>
        enqueueWriteRecords(writes, connectionId, entity, ids),
    });
    if (sweep.total > 0) {
      log.warn({ handedOn: sweep.handedOn }, "records left without a job were handed on again");
    }

    return sweep;
  }
}
