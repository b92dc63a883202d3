/**
 * Ordered, bounded shutdown. Steps run one after another in the order they were registered
 * (readiness off → HTTP server → workers → queues → Redis → Postgres → logger); each is logged by
 * name, a failing step does not stop the ones after it, and the whole sequence is cut off at the
 * deadline so a stuck dependency cannot keep a pod from terminating.
 */
import type { Logger } from "./logger.js";

type TStep = { name: string; run: () => Promise<void> | void };

export class ShutdownSequence {
  private readonly steps: TStep[] = [];
  private started: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly deadlineMs: number,
  ) {}

  get isShuttingDown(): boolean {
    return this.started !== undefined;
  }

  register(name: string, run: TStep["run"]): void {
    this.steps.push({ name, run });
  }

  /** Runs every step once; later calls return the same promise. */
  run(reason: string): Promise<void> {
    this.started ??= this.runSteps(reason);

    return this.started;
  }

  private async runSteps(reason: string): Promise<void> {
    const startedAt = Date.now();
    this.log.info({ reason, deadlineMs: this.deadlineMs }, "shutdown started");

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), this.deadlineMs);
    });
    const outcome = await Promise.race([this.runEach(), deadline]);
    clearTimeout(timer);

    const durationMs = Date.now() - startedAt;
    if (outcome === "deadline") {
      this.log.error({ durationMs }, "shutdown deadline reached, remaining steps abandoned");

      return;
    }
    this.log.info({ durationMs }, "shutdown finished");
  }

  private async runEach(): Promise<"done"> {
    for (const step of this.steps) {
      const startedAt = Date.now();
      try {
        await step.run();
        this.log.info(
          { step: step.name, durationMs: Date.now() - startedAt },
          "shutdown step done",
        );
      } catch (err) {
        this.log.error({ step: step.name, err }, "shutdown step failed");
      }
    }

    return "done";
  }
}
