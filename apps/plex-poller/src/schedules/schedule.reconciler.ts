/**
 * Keeps BullMQ job schedulers in line with the connections table: one scheduler per active
 * connection and stream, on its cron pattern in the plant's time zone. upsertJobScheduler is an
 * atomic upsert, so several replicas reconciling at once agree; schedulers of removed or paused
 * connections are deleted.
 */
import type { Queue } from "bullmq";

import type { ConnectionService } from "@ml-connector/connections";
import { parseJobPayload } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import { streamSchedules } from "@ml-connector/sync";

const SCHEDULER_PREFIX = "poll-";

export function schedulerId(connectionId: string, stream: string): string {
  return `${SCHEDULER_PREFIX}${connectionId}-${stream}`;
}

export class ScheduleReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly connections: ConnectionService,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.reconcile()
        .catch((err: unknown) => this.log.error({ err }, "schedule reconciliation failed"))
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async reconcile(): Promise<{ upserted: number; removed: number }> {
    const wanted = new Set<string>();
    let upserted = 0;
    for (const connection of await this.connections.list()) {
      if (connection.status !== "active") continue;
      for (const { stream, pattern } of streamSchedules(connection)) {
        const id = schedulerId(connection.id, stream);
        wanted.add(id);
        const data = parseJobPayload("plexPoll", "poll-stream", {
          connectionId: connection.id,
          stream,
          trigger: "schedule",
        });
        await this.queue.upsertJobScheduler(
          id,
          { pattern, tz: connection.timezone },
          { name: "poll-stream", data },
        );
        upserted += 1;
      }
    }

    let removed = 0;
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      const key = scheduler.key;
      if (!key.startsWith(SCHEDULER_PREFIX) || wanted.has(key)) continue;
      await this.queue.removeJobScheduler(key);
      removed += 1;
    }
    this.log.debug({ upserted, removed }, "stream schedules reconciled");

    return { upserted, removed };
  }
}
