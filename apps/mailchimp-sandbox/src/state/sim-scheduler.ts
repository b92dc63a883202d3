/**
 * Runs work at simulated times: webhook retries, campaign engagement, batch progress. A task runs
 * when the sandbox clock reaches its time, either because real time passed (a timer) or because
 * the control API advanced the clock. Tasks run in time order; a failing task is logged, never
 * allowed to stop the others.
 */
import type { Logger } from "@ml-connector/runtime";

import type { SandboxClock } from "./sandbox-clock.js";

type TTask = { atMs: number; seq: number; run: () => void | Promise<void> };

/** Upper bound on one timer so a long wait still notices clock advances promptly. */
const MAX_TIMER_MS = 1_000;

export class SimScheduler {
  private tasks: TTask[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private readonly detach: () => void;

  constructor(
    private readonly clock: SandboxClock,
    private readonly log: Logger,
  ) {
    this.detach = clock.onAdvance(() => this.runDue());
  }

  /** Runs `run` once the sandbox clock reaches `atMs` (at once if it already has). */
  at(atMs: number, run: TTask["run"]): void {
    if (this.closed) return;
    this.seq += 1;
    this.tasks.push({ atMs, seq: this.seq, run });
    this.tasks.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    this.arm();
  }

  in(delayMs: number, run: TTask["run"]): void {
    this.at(this.clock.nowMs() + Math.max(0, delayMs), run);
  }

  get pending(): number {
    return this.tasks.length;
  }

  close(): void {
    this.closed = true;
    this.tasks = [];
    this.detach();
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private arm(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.tasks[0];
    if (next === undefined) return;

    const waitMs = Math.min(MAX_TIMER_MS, Math.max(0, next.atMs - this.clock.nowMs()));
    this.timer = setTimeout(() => this.runDue(), waitMs);
    this.timer.unref();
  }

  private runDue(): void {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      const now = this.clock.nowMs();
      while (this.tasks[0] !== undefined && this.tasks[0].atMs <= now) {
        const task = this.tasks.shift();
        if (task === undefined) break;
        try {
          const outcome = task.run();
          if (outcome instanceof Promise) {
            outcome.catch((err: unknown) => this.log.error({ err }, "scheduled task failed"));
          }
        } catch (err) {
          this.log.error({ err }, "scheduled task failed");
        }
      }
    } finally {
      this.running = false;
      this.arm();
    }
  }
}
