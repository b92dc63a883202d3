/**
 * Wraps a job handler with what every job needs: the payload re-validated against the registry,
 * a child logger carrying queue/job/attempt fields, metrics, and the shutdown hand-back — when the
 * process must stop before a job finishes, the job goes back to the queue instead of failing.
 */
import { DelayedError, UnrecoverableError, type Job } from "bullmq";

import {
  QUEUES,
  parseJobPayload,
  type TJobName,
  type TParsedJobPayload,
  type TQueueKey,
} from "@ml-connector/queues";

import type { Logger } from "./logger.js";
import type { TServiceMetrics } from "./metrics.js";

export type TJobContext = {
  job: Job;
  log: Logger;
  /** Aborted when the process is shutting down and the job must stop. */
  signal: AbortSignal;
  token: string | undefined;
};

export type TJobHandlers<K extends TQueueKey> = {
  [J in TJobName<K>]?: (payload: TParsedJobPayload<K, J>, ctx: TJobContext) => Promise<unknown>;
};

/** Thrown by the wrapper when a job was handed back because the process is stopping. */
export class JobHandedBackError extends DelayedError {
  constructor() {
    super("job handed back to the queue at shutdown");
  }
}

export function buildProcessor<K extends TQueueKey>(
  queueKey: K,
  handlers: TJobHandlers<K>,
  log: Logger,
  metrics: TServiceMetrics,
) {
  const queue = QUEUES[queueKey].name;

  return async (job: Job, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const jobLog = log.child({ queue, job: job.name, jobId: job.id, attempt: job.attemptsStarted });
    const stopTimer = metrics.jobDuration.startTimer({ queue, job: job.name });
    const abortSignal = signal ?? new AbortController().signal;

    const handler = handlers[job.name as TJobName<K>] as
      ((payload: unknown, ctx: TJobContext) => Promise<unknown>) | undefined;
    if (handler === undefined) {
      metrics.jobsProcessed.inc({ queue, job: job.name, outcome: "rejected" });
      throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
    }

    let payload: unknown;
    try {
      payload = parseJobPayload(queueKey, job.name as TJobName<K>, job.data);
    } catch (err) {
      metrics.jobsProcessed.inc({ queue, job: job.name, outcome: "rejected" });
      jobLog.error({ err }, "job payload invalid, not retried");
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }

    try {
      // A handler that ignores the signal must not hold shutdown hostage: stop waiting on abort.
      const work = handler(payload, { job, log: jobLog, signal: abortSignal, token });
      const result = await abortable(work, abortSignal);
      metrics.jobsProcessed.inc({ queue, job: job.name, outcome: "completed" });

      return result;
    } catch (err) {
      if (abortSignal.aborted && token !== undefined && !(err instanceof UnrecoverableError)) {
        await job.moveToDelayed(Date.now(), token);
        metrics.jobsProcessed.inc({ queue, job: job.name, outcome: "handed-back" });
        jobLog.warn("job handed back to the queue at shutdown");
        throw new JobHandedBackError();
      }
      if (err instanceof DelayedError) throw err;
      metrics.jobsProcessed.inc({ queue, job: job.name, outcome: "failed" });
      throw err;
    } finally {
      stopTimer();
    }
  };
}

/** Rejects when `signal` aborts; lets a handler stop waiting on work that ignores the signal. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error("aborted"));

  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
