/**
 * The host every ml-connector service runs in. It owns the HTTP server (/healthz, /readyz,
 * /metrics and any routes the app adds), the BullMQ workers, the Redis connections it made, and
 * the ordered shutdown on SIGTERM/SIGINT. An app's main.ts builds one, adds its workers, routes and
 * readiness checks, and calls start().
 */
import http from "node:http";

import { Queue, Worker, type WorkerOptions } from "bullmq";
import express, { type Express } from "express";
import type { Redis } from "ioredis";

import { QUEUES, type TQueueKey } from "@ml-connector/queues";

import type { TCommonEnv } from "./env.js";
import { buildProcessor, type TJobHandlers } from "./job-processor.js";
import type { Logger } from "./logger.js";
import { createServiceMetrics, type TServiceMetrics } from "./metrics.js";
import { closeRedis, createRedis, pingRedis } from "./redis.js";
import { ShutdownSequence } from "./shutdown.js";

export type TServiceHostOptions = {
  service: string;
  env: TCommonEnv;
  port: number;
  log: Logger;
  /** Exit the process when shutdown completes (true for services; false in tests). */
  exitOnShutdown?: boolean;
};

export type TWorkerSpec<K extends TQueueKey> = {
  queueKey: K;
  handlers: TJobHandlers<K>;
  concurrency?: number;
  limiter?: WorkerOptions["limiter"];
};

type TReadinessCheck = () => Promise<void>;

/** Phases run in this order; steps within a phase in registration order. */
const PHASES = ["intake", "workers", "queues", "resources", "connections"] as const;
export type TShutdownPhase = (typeof PHASES)[number];

export class ServiceHost {
  readonly app: Express;
  readonly metrics: TServiceMetrics;
  readonly log: Logger;
  /** Shared client connection for app code (limiters, semaphores, ad-hoc commands). */
  readonly redis: Redis;

  private readonly workerRedis: Redis;
  private readonly workers: Worker[] = [];
  private readonly queues = new Map<string, Queue>();
  private readonly checks = new Map<string, TReadinessCheck>();
  private readonly phaseSteps = new Map<TShutdownPhase, { name: string; run: () => unknown }[]>();
  private readonly shutdown: ShutdownSequence;
  private server: http.Server | undefined;
  private started = false;

  constructor(private readonly options: TServiceHostOptions) {
    this.log = options.log;
    this.metrics = createServiceMetrics(options.service);
    this.redis = createRedis(
      options.env.REDIS_URL,
      "client",
      this.log,
      `${options.service}-client`,
    );
    this.workerRedis = createRedis(
      options.env.REDIS_URL,
      "worker",
      this.log,
      `${options.service}-worker`,
    );
    this.shutdown = new ShutdownSequence(this.log, options.env.SHUTDOWN_TIMEOUT_MS + 1_500);
    this.checks.set("redis", () => pingRedis(this.redis));
    this.app = express();
    this.app.disable("x-powered-by");
    this.mountHealthRoutes();
  }

  get isShuttingDown(): boolean {
    return this.shutdown.isShuttingDown;
  }

  get queuePrefix(): string {
    return this.options.env.QUEUE_PREFIX;
  }

  /** A BullMQ connection for queues and producers that live as long as the service. */
  get queueConnection(): Redis {
    return this.workerRedis;
  }

  addReadinessCheck(name: string, check: TReadinessCheck): void {
    this.checks.set(name, check);
  }

  onShutdown(phase: TShutdownPhase, name: string, run: () => unknown): void {
    const steps = this.phaseSteps.get(phase) ?? [];
    steps.push({ name, run });
    this.phaseSteps.set(phase, steps);
  }

  /** A Queue handle the host closes at shutdown and reports in /metrics. */
  queue(queueKey: TQueueKey): Queue {
    const def = QUEUES[queueKey];
    let queue = this.queues.get(def.name);
    if (queue === undefined) {
      queue = new Queue(def.name, {
        connection: this.workerRedis,
        prefix: this.queuePrefix,
        defaultJobOptions: def.defaultJobOptions,
      });
      queue.on("error", (err) => this.log.warn({ err, queue: def.name }, "queue error"));
      this.queues.set(def.name, queue);
      this.metrics.watchQueues([queue]);
    }

    return queue;
  }

  addWorker<K extends TQueueKey>(spec: TWorkerSpec<K>): Worker {
    const def = QUEUES[spec.queueKey];
    const processor = buildProcessor(spec.queueKey, spec.handlers, this.log, this.metrics);
    const worker = new Worker(def.name, processor, {
      connection: this.workerRedis,
      prefix: this.queuePrefix,
      concurrency: spec.concurrency ?? 1,
      limiter: spec.limiter,
      // A job whose process died mid-run (SIGKILL, OOM, lost node) comes back when its lock
      // lapses. BullMQ's default gives up after one such stall; a rolling restart can cut the
      // same job twice, so three are allowed before it counts as failed.
      maxStalledCount: 3,
      autorun: false,
    });
    worker.on("error", (err) => this.log.error({ err, queue: def.name }, "worker error"));
    worker.on("stalled", (jobId) =>
      this.log.warn({ queue: def.name, jobId }, "job stalled, it will run again"),
    );
    worker.on("failed", (job, err) => {
      if (job === undefined) return;
      const attempts = job.opts.attempts ?? 1;
      const final = job.attemptsMade >= attempts || err.name === "UnrecoverableError";
      this.log[final ? "error" : "warn"](
        { err, queue: def.name, job: job.name, jobId: job.id, attempt: job.attemptsMade, final },
        final ? "job failed for good" : "job failed, will retry",
      );
    });
    this.workers.push(worker);
    this.queue(spec.queueKey);

    return worker;
  }

  /**
   * Starts the HTTP server and the workers. A service that cannot start (port taken…) logs why
   * and exits 1; in tests (exitOnShutdown false) the error is thrown instead.
   */
  async start(): Promise<void> {
    try {
      await this.startUnguarded();
    } catch (err) {
      if (this.options.exitOnShutdown === false) throw err;
      this.log.fatal({ err, port: this.options.port }, "service failed to start");
      process.exit(1);
    }
  }

  private async startUnguarded(): Promise<void> {
    this.registerShutdownSteps();
    process.once("SIGTERM", () => void this.stop("SIGTERM"));
    process.once("SIGINT", () => void this.stop("SIGINT"));

    await new Promise<void>((resolve, reject) => {
      this.server = http.createServer(this.app);
      this.server.keepAliveTimeout = 5_000;
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.env.HTTP_HOST, () => resolve());
    });
    for (const worker of this.workers) {
      // run() resolves only when the worker closes; failures surface through the "error" event.
      worker.run().catch((err: unknown) => this.log.error({ err }, "worker stopped unexpectedly"));
    }
    this.started = true;
    this.log.info(
      { port: this.boundPort, workers: this.workers.map((worker) => worker.name) },
      "service started",
    );
  }

  get boundPort(): number {
    const address = this.server?.address();

    return typeof address === "object" && address !== null ? address.port : this.options.port;
  }

  async stop(reason: string): Promise<void> {
    await this.shutdown.run(reason);
    if (this.options.exitOnShutdown ?? true) process.exit(0);
  }

  private mountHealthRoutes(): void {
    // Liveness: the event loop answers. No dependency is checked, so an outage of Redis or
    // Postgres never gets a healthy pod restarted.
    this.app.get("/healthz", (_req, res) => {
      res.json({ status: "ok" });
    });

    this.app.get("/readyz", async (_req, res) => {
      if (!this.started || this.isShuttingDown) {
        res.status(503).json({ status: this.isShuttingDown ? "shutting-down" : "starting" });

        return;
      }
      const results = await Promise.all(
        [...this.checks].map(async ([name, check]) => {
          try {
            await check();

            return [name, "ok"] as const;
          } catch (err) {
            return [name, err instanceof Error ? err.message : "failed"] as const;
          }
        }),
      );
      const ready = results.every(([, outcome]) => outcome === "ok");
      res.status(ready ? 200 : 503).json({
        status: ready ? "ready" : "not-ready",
        checks: Object.fromEntries(results),
      });
    });

    this.app.get("/metrics", async (_req, res) => {
      res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
    });
  }

  private registerShutdownSteps(): void {
    this.shutdown.register("http server", () => this.closeServer());
    for (const phase of PHASES) {
      if (phase === "workers") this.shutdown.register("workers", () => this.closeWorkers());
      if (phase === "queues") {
        this.shutdown.register("queues", async () => {
          await Promise.all([...this.queues.values()].map((queue) => queue.close()));
        });
      }
      if (phase === "connections") {
        this.shutdown.register("redis", async () => {
          await Promise.all([closeRedis(this.redis), closeRedis(this.workerRedis)]);
        });
      }
      for (const step of this.phaseSteps.get(phase) ?? []) {
        this.shutdown.register(step.name, async () => {
          await step.run();
        });
      }
    }
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Idle keep-alive sockets would hold close() open until they time out.
      server.closeIdleConnections();
      setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, 2_000).unref();
    });
  }

  /**
   * Lets in-flight jobs finish while time allows; past the budget, aborts them so each is handed
   * back to the queue (job-processor.ts) rather than left to the stalled-job checker.
   */
  private async closeWorkers(): Promise<void> {
    const budgetMs = this.options.env.SHUTDOWN_TIMEOUT_MS;
    await Promise.all(
      this.workers.map(async (worker) => {
        const closing = worker.close();
        let timer: NodeJS.Timeout | undefined;
        const finished = await Promise.race([
          closing.then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), budgetMs);
          }),
        ]);
        clearTimeout(timer);
        if (finished) return;

        this.log.warn({ queue: worker.name, budgetMs }, "jobs still running, handing them back");
        worker.cancelAllJobs("shutdown");
        await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      }),
    );
  }
}
