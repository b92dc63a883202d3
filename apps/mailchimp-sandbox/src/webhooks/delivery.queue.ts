/**
 * Delivers webhook POSTs with Mailchimp's retry behaviour ([WH], reference §5.1): a delivery not
 * answered 2xx within the timeout is retried later at increasing intervals (the configured
 * schedule, 75 minutes in total by default) and dropped after the last one. For list webhooks a
 * 410 answer disables the webhook at once, with no retry. Retries run on the sandbox clock, so a
 * test may either configure a fast schedule or advance the clock.
 */
import type { Logger } from "@ml-connector/runtime";

import type { SandboxClock } from "../state/sandbox-clock.js";
import type { SimScheduler } from "../state/sim-scheduler.js";
import { postForm } from "./http-delivery.js";

export type TDeliveryState = "pending" | "retrying" | "delivered" | "failed" | "disabled";

export type TDeliveryAttempt = {
  atMs: number;
  status?: number;
  error?: string;
  durationMs: number;
};

export type TDelivery = {
  id: string;
  kind: "list" | "mandrill";
  accountId?: string;
  listId?: string;
  webhookId: string;
  /** The event type (list webhooks) or the event types in the batch (Mandrill). */
  eventType: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  createdAtMs: number;
  state: TDeliveryState;
  attempts: TDeliveryAttempt[];
};

export type TDeliveryQueueOptions = {
  timeoutMs: number;
  retryScheduleMs: number[];
  keep: number;
  /** Answering 410 disables list webhooks ([WH] release note 2021-04-05). */
  goneDisables: boolean;
  onGone?: (delivery: TDelivery) => void;
  /** False when the webhook was deleted or disabled meanwhile: pending retries are dropped. */
  isActive?: (delivery: TDelivery) => boolean;
};

export class DeliveryQueue {
  private readonly deliveries: TDelivery[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly clock: SandboxClock,
    private readonly scheduler: SimScheduler,
    private readonly log: Logger,
    private readonly options: TDeliveryQueueOptions,
  ) {}

  enqueue(delivery: TDelivery): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > this.options.keep) this.deliveries.shift();
    void this.attempt(delivery);
  }

  /** Live changes from the control API (a faster retry schedule for a test, a shorter timeout). */
  configure(change: { timeoutMs?: number; retryScheduleMs?: number[] }): void {
    if (change.timeoutMs !== undefined) this.options.timeoutMs = change.timeoutMs;
    if (change.retryScheduleMs !== undefined)
      this.options.retryScheduleMs = [...change.retryScheduleMs];
  }

  all(): readonly TDelivery[] {
    return this.deliveries;
  }

  /** Resolves when no attempt is in flight (tests and shutdown). */
  async settled(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private async attempt(delivery: TDelivery): Promise<void> {
    if (this.options.isActive !== undefined && !this.options.isActive(delivery)) {
      delivery.state = "failed";

      return;
    }

    this.inFlight += 1;
    const atMs = this.clock.nowMs();
    const outcome = await postForm(
      delivery.url,
      delivery.body,
      delivery.headers,
      this.options.timeoutMs,
    );
    this.inFlight -= 1;

    const record: TDeliveryAttempt =
      outcome.kind === "answered"
        ? { atMs, status: outcome.status, durationMs: outcome.durationMs }
        : { atMs, error: outcome.error, durationMs: outcome.durationMs };
    delivery.attempts.push(record);
    this.conclude(delivery, outcome.kind === "answered" ? outcome.status : undefined);

    if (this.inFlight === 0) {
      const waiting = this.idle;
      this.idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  private conclude(delivery: TDelivery, status: number | undefined): void {
    const attempt = delivery.attempts.length;
    const fields = {
      kind: delivery.kind,
      webhookId: delivery.webhookId,
      listId: delivery.listId,
      eventType: delivery.eventType,
      attempt,
      status,
    };

    if (status !== undefined && status >= 200 && status < 300) {
      delivery.state = "delivered";
      this.log.debug(fields, "webhook delivered");

      return;
    }
    if (status === 410 && this.options.goneDisables) {
      delivery.state = "disabled";
      this.options.onGone?.(delivery);
      this.log.info(fields, "webhook answered 410, disabled");

      return;
    }

    const delayMs = this.options.retryScheduleMs[attempt - 1];
    if (delayMs === undefined) {
      delivery.state = "failed";
      this.log.info(fields, "webhook delivery given up after the last retry");

      return;
    }
    delivery.state = "retrying";
    this.log.debug({ ...fields, delayMs }, "webhook delivery failed, will retry");
    this.scheduler.in(delayMs, () => this.attempt(delivery));
  }
}
