/**
 * Hands newly stored inbox rows to the webhook-event queue (process-inbox jobs), in bulk: rows
 * committed together are queued together, one `addBulk` at a time. Queueing happens after the
 * HTTP answer and may fail (Redis down): the rows are durable already, and the inbox sweeper
 * (inbox.sweeper.ts) queues every row left pending, so a Redis outage delays work but loses none.
 */
import { safeJobId, type TProducer } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";

import type { TStoredRow } from "./inbox.writer.js";

/** Inbox ids per process-inbox job. */
export const INBOX_IDS_PER_JOB = 100;

/** Rows waiting for Redis beyond this are left to the sweeper. */
const MAX_WAITING = 50_000;

export class InboxDispatcher {
  private waiting: TStoredRow[] = [];
  private running = false;
  private idle: (() => void)[] = [];
  readonly stats = { queuedRows: 0, jobs: 0, failedRows: 0, droppedRows: 0 };

  constructor(
    private readonly producer: TProducer<"webhookEvent">,
    private readonly log: Logger,
  ) {}

  dispatch(rows: TStoredRow[]): void {
    const room = MAX_WAITING - this.waiting.length;
    if (rows.length > room) this.stats.droppedRows += rows.length - Math.max(0, room);
    this.waiting.push(...rows.slice(0, Math.max(0, room)));
    if (!this.running) void this.drain();
  }

  /** Resolves when nothing is waiting (tests, shutdown). */
  settled(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();

    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const rows = this.waiting;
      this.waiting = [];
      const jobs = jobsFor(rows);
      try {
        await this.producer.addBulk(jobs);
        this.stats.queuedRows += rows.length;
        this.stats.jobs += jobs.length;
      } catch (err) {
        this.stats.failedRows += rows.length;
        this.log.warn(
          { err, rows: rows.length, queue: "webhook-event" },
          "inbox rows not queued, the sweeper will queue them",
        );
      }
    }
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** process-inbox jobs for rows, per connection, INBOX_IDS_PER_JOB ids each. */
export function jobsFor(rows: TStoredRow[], idPrefix = "inbox") {
  const byConnection = new Map<string, string[]>();
  for (const row of rows) {
    const ids = byConnection.get(row.connectionId) ?? [];
    ids.push(row.id);
    byConnection.set(row.connectionId, ids);
  }
  const jobs = [];
  for (const [connectionId, ids] of byConnection) {
    for (let start = 0; start < ids.length; start += INBOX_IDS_PER_JOB) {
      const inboxIds = ids.slice(start, start + INBOX_IDS_PER_JOB);
      jobs.push({
        name: "process-inbox" as const,
        payload: { connectionId, inboxIds },
        opts: { jobId: safeJobId(idPrefix, connectionId, inboxIds[0]!, inboxIds.length) },
      });
    }
  }

  return jobs;
}
