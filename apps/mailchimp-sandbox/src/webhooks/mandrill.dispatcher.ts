/**
 * Mandrill (Mailchimp Transactional) message-event webhooks ([MANDRILL], reference §5.2 (b)):
 * events are POSTed as one form field, `mandrill_events`, holding a JSON array of at most 1000
 * events, signed with X-Mandrill-Signature. Webhooks are registered with an auth key, as
 * `/webhooks/add` returns one.
 */
import type { Logger } from "@ml-connector/runtime";

import type { IdGenerator } from "../state/id-generator.js";
import type { SandboxClock } from "../state/sandbox-clock.js";
import type { SimScheduler } from "../state/sim-scheduler.js";
import { DeliveryQueue } from "./delivery.queue.js";
import { mandrillSignature } from "./mandrill.signature.js";

export type TMandrillWebhook = {
  id: number;
  url: string;
  auth_key: string;
  description: string;
  events: string[];
  created_at: string;
};

export type TMandrillEvent = {
  event: string;
  ts: number;
  _id: string;
  msg?: Record<string, unknown>;
} & Record<string, unknown>;

/** "a JSON-encoded array of up to 1000 events" ([MANDRILL] Webhook Format). */
export const MAX_EVENTS_PER_POST = 1000;

export class MandrillDispatcher {
  readonly queue: DeliveryQueue;
  private readonly webhooks = new Map<number, TMandrillWebhook>();
  private nextId = 0;

  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: SandboxClock,
    scheduler: SimScheduler,
    log: Logger,
    options: { timeoutMs: number; retryScheduleMs: number[]; keep: number },
  ) {
    this.queue = new DeliveryQueue(clock, scheduler, log, {
      ...options,
      goneDisables: false,
      isActive: (delivery) => this.webhooks.has(Number(delivery.webhookId)),
    });
  }

  add(input: {
    url: string;
    description?: string;
    events?: string[];
    authKey?: string;
  }): TMandrillWebhook {
    this.nextId += 1;
    const webhook: TMandrillWebhook = {
      id: this.nextId,
      url: input.url,
      auth_key: input.authKey ?? this.ids.hex(22),
      description: input.description ?? "",
      events: input.events ?? ["send", "open", "click"],
      created_at: new Date(this.clock.nowMs()).toISOString().replace("T", " ").slice(0, 19),
    };
    this.webhooks.set(webhook.id, webhook);

    return webhook;
  }

  remove(id: number): TMandrillWebhook | undefined {
    const webhook = this.webhooks.get(id);
    this.webhooks.delete(id);

    return webhook;
  }

  list(): TMandrillWebhook[] {
    return [...this.webhooks.values()];
  }

  /** Sends the events to every webhook subscribed to their types, in POSTs of ≤ 1000 events. */
  deliver(events: TMandrillEvent[]): number {
    let posts = 0;
    for (const webhook of this.webhooks.values()) {
      const wanted = events.filter((event) => webhook.events.includes(event.event));
      for (let start = 0; start < wanted.length; start += MAX_EVENTS_PER_POST) {
        const chunk = wanted.slice(start, start + MAX_EVENTS_PER_POST);
        const fields = { mandrill_events: JSON.stringify(chunk) };
        this.queue.enqueue({
          id: this.ids.hex(12),
          kind: "mandrill",
          webhookId: String(webhook.id),
          eventType: [...new Set(chunk.map((event) => event.event))].join(","),
          url: webhook.url,
          headers: {
            "user-agent": "Mandrill-Webhook/1.0",
            "x-mandrill-signature": mandrillSignature(webhook.auth_key, webhook.url, fields),
          },
          body: new URLSearchParams(fields).toString(),
          createdAtMs: this.clock.nowMs(),
          state: "pending",
          attempts: [],
        });
        posts += 1;
      }
    }

    return posts;
  }
}
