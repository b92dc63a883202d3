/**
 * Prometheus metrics for a service: default process metrics, jobs processed and failed per queue,
 * job durations, and queue depth per state (read from Redis when /metrics is scraped).
 */
import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type TServiceMetrics = {
  registry: Registry;
  jobsProcessed: Counter<"queue" | "job" | "outcome">;
  jobDuration: Histogram<"queue" | "job">;
  watchQueues(queues: Queue[]): void;
};

const DEPTH_STATES = [
  "waiting",
  "active",
  "delayed",
  "failed",
  "completed",
  "prioritized",
] as const;

export function createServiceMetrics(service: string): TServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const watched: Queue[] = [];

  const jobsProcessed = new Counter({
    name: "mlc_jobs_processed_total",
    help: "Jobs finished by this process, by queue, job name and outcome.",
    labelNames: ["queue", "job", "outcome"] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "mlc_job_duration_seconds",
    help: "Time from a job starting on this process to it finishing.",
    labelNames: ["queue", "job"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  new Gauge({
    name: "mlc_queue_depth",
    help: "Jobs in each state of each queue this process works on or produces to.",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      for (const queue of watched) {
        try {
          const counts = await queue.getJobCounts(...DEPTH_STATES);
          for (const state of DEPTH_STATES) {
            this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
        } catch {
          // Redis unreachable: leave the last values; /readyz reports the outage.
        }
      }
    },
  });

  return {
    registry,
    jobsProcessed,
    jobDuration,
    watchQueues(queues) {
      watched.push(...queues);
    },
  };
}
