/**
 * Runs `/batches` jobs the way Mailchimp does ([BATCH], reference §3.7): asynchronously, one job
 * at a time per account, through pending → preprocessing → started → finalizing → finished, at
 * the configured operations per second (200 by default, ../shared/DESIGN.md latency model).
 * Operations go through the same handlers and validation as HTTP requests, but do not count
 * against the 10-connection limit. The results become a tar.gz served at response_body_url.
 */
import type { Logger } from "@ml-connector/runtime";

import type { TApiResult } from "../api/api-route.js";
import type { TAccount } from "../state/account.model.js";
import type { TBatch, TBatchOperation, TBatchResult } from "../state/batch.model.js";
import type { IdGenerator } from "../state/id-generator.js";
import { formatApiTime, type SandboxClock } from "../state/sandbox-clock.js";
import type { SimScheduler } from "../state/sim-scheduler.js";
import { buildResultsArchive, type BatchArchiveStore } from "./batch-archive.js";

export type TOperationExecutor = (
  account: TAccount,
  operation: TBatchOperation,
) => Promise<TApiResult>;

export type TBatchRunnerOptions = { operationsPerSecond: number; phaseDelayMs: number };

/** Simulated time one scheduling step covers; keeps timers few for large jobs. */
const STEP_MS = 50;

export class BatchRunner {
  private readonly queues = new Map<string, TBatch[]>();
  private readonly running = new Set<string>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly scheduler: SimScheduler,
    private readonly ids: IdGenerator,
    private readonly archives: BatchArchiveStore,
    private readonly log: Logger,
    private readonly options: TBatchRunnerOptions,
    private readonly downloadUrl: (token: string) => string,
    private execute: TOperationExecutor,
  ) {}

  setExecutor(execute: TOperationExecutor): void {
    this.execute = execute;
  }

  submit(account: TAccount, operations: TBatchOperation[]): TBatch {
    const batch: TBatch = {
      id: this.ids.hex(10),
      status: "pending",
      total_operations: operations.length,
      finished_operations: 0,
      errored_operations: 0,
      submitted_at: formatApiTime(this.clock.nowMs()),
      completed_at: "",
      response_body_url: "",
      operations,
      results: [],
      cancelled: false,
    };
    account.batches.set(batch.id, batch);
    const queue = this.queues.get(account.id) ?? [];
    queue.push(batch);
    this.queues.set(account.id, queue);
    this.log.info(
      { accountId: account.id, batchId: batch.id, operations: operations.length },
      "batch submitted",
    );
    this.startNext(account);

    return batch;
  }

  /** DELETE /batches/{id}: stops the job; it disappears from the API. */
  cancel(account: TAccount, batch: TBatch): void {
    batch.cancelled = true;
    account.batches.delete(batch.id);
    const queue = this.queues.get(account.id) ?? [];
    this.queues.set(
      account.id,
      queue.filter((queued) => queued.id !== batch.id),
    );
  }

  private startNext(account: TAccount): void {
    if (this.running.has(account.id)) return;
    const batch = this.queues.get(account.id)?.shift();
    if (batch === undefined) return;

    this.running.add(account.id);
    // Times are absolute on the sandbox clock, so advancing the clock catches a job up at once.
    const delay = this.options.phaseDelayMs;
    const startAt = this.clock.nowMs();
    this.scheduler.at(startAt + delay, () => {
      if (batch.cancelled) return this.finish(account);
      batch.status = "preprocessing";
      this.scheduler.at(startAt + 2 * delay, () => {
        if (batch.cancelled) return this.finish(account);
        batch.status = "started";
        this.step(account, batch, 0, startAt + 2 * delay);
      });
    });
  }

  private step(account: TAccount, batch: TBatch, index: number, dueAtMs: number): void {
    const perOperationMs = 1000 / this.options.operationsPerSecond;
    const perStep = Math.max(1, Math.floor(STEP_MS / perOperationMs));
    const slice = batch.operations.slice(index, index + perStep);

    void (async () => {
      for (const operation of slice) {
        if (batch.cancelled) return this.finish(account);
        batch.results.push(await this.run(account, operation));
        batch.finished_operations += 1;
        const last = batch.results[batch.results.length - 1];
        if (last !== undefined && last.status_code >= 400) batch.errored_operations += 1;
      }
      const next = index + slice.length;
      const nextAtMs = dueAtMs + slice.length * perOperationMs;
      if (next < batch.operations.length) {
        this.scheduler.at(nextAtMs, () => this.step(account, batch, next, nextAtMs));
        return;
      }
      this.scheduler.at(nextAtMs, () => this.finalize(account, batch));
    })().catch((err: unknown) => {
      this.log.error({ err, batchId: batch.id }, "batch step failed");
      this.finish(account);
    });
  }

  private async run(account: TAccount, operation: TBatchOperation): Promise<TBatchResult> {
    const result = await this.execute(account, operation);

    return {
      status_code: result.status,
      operation_id: operation.operation_id ?? null,
      response: result.body === undefined ? "" : JSON.stringify(result.body),
    };
  }

  private async finalize(account: TAccount, batch: TBatch): Promise<void> {
    if (batch.cancelled) return this.finish(account);
    batch.status = "finalizing";
    const archive = await buildResultsArchive(batch.id, batch.results, this.clock.now());
    const token = this.ids.hex(32);
    this.archives.put(`${token}.tar.gz`, archive);

    batch.response_body_url = this.downloadUrl(`${token}.tar.gz`);
    batch.completed_at = formatApiTime(this.clock.nowMs());
    batch.status = "finished";
    batch.operations = [];
    batch.results = [];
    this.log.info(
      {
        accountId: account.id,
        batchId: batch.id,
        operations: batch.total_operations,
        errored: batch.errored_operations,
        archiveBytes: archive.length,
      },
      "batch finished",
    );
    this.finish(account);
  }

  private finish(account: TAccount): void {
    this.running.delete(account.id);
    this.startNext(account);
  }
}
