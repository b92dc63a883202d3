/**
 * Turns list events into deliveries to the audience's webhooks that asked for that event type
 * from that source (`events` and `sources` flags, [SPEC] AddWebhook, §5.1), form-encoded with
 * `fired_at` in Mailchimp's "YYYY-MM-DD HH:MM:SS" format, User-Agent "MailChimp.com".
 */
import type { Logger } from "@ml-connector/runtime";

import type { AccountRegistry } from "../state/account.registry.js";
import type { TListWebhook } from "../state/audience.model.js";
import type { IdGenerator } from "../state/id-generator.js";
import { formatWebhookTime, type SandboxClock } from "../state/sandbox-clock.js";
import type { SimScheduler } from "../state/sim-scheduler.js";
import { DeliveryQueue, type TDelivery } from "./delivery.queue.js";
import { encodeWebhookForm } from "./form-encoding.js";
import { getStatus } from "./http-delivery.js";
import type { ListEventBus, TListEvent } from "./list-event.bus.js";

export type TListWebhookOptions = {
  timeoutMs: number;
  validationTimeoutMs: number;
  retryScheduleMs: number[];
  keep: number;
};

/** Header values recorded from Mailchimp's senders (§5.1, mc-woocommerce#877). */
export const DELIVERY_USER_AGENT = "MailChimp.com";
export const VALIDATOR_USER_AGENT = "MailChimp.com WebHook Validator";

export class ListWebhookDispatcher {
  readonly queue: DeliveryQueue;

  constructor(
    private readonly accounts: AccountRegistry,
    private readonly ids: IdGenerator,
    clock: SandboxClock,
    scheduler: SimScheduler,
    private readonly log: Logger,
    private readonly options: TListWebhookOptions,
    events: ListEventBus,
  ) {
    this.queue = new DeliveryQueue(clock, scheduler, log, {
      timeoutMs: options.timeoutMs,
      retryScheduleMs: options.retryScheduleMs,
      keep: options.keep,
      goneDisables: true,
      onGone: (delivery) => this.disable(delivery),
      isActive: (delivery) => this.webhookOf(delivery)?.disabled === false,
    });
    events.on((event) => this.dispatch(event));
  }

  /**
   * Mailchimp's registration check: a GET without parameters that must answer 2xx in time.
   * Returns the status seen, or undefined when nothing answered.
   */
  async validateUrl(url: string): Promise<{ ok: boolean; status: number | undefined }> {
    const status = await getStatus(
      url,
      { "user-agent": VALIDATOR_USER_AGENT },
      this.options.validationTimeoutMs,
    );

    return { ok: status !== undefined && status >= 200 && status < 300, status };
  }

  private dispatch(event: TListEvent): void {
    const list = this.accounts.get(event.accountId)?.lists.get(event.listId);
    if (list === undefined) return;

    for (const webhook of list.webhooks.values()) {
      if (webhook.disabled || !webhook.events[event.type] || !webhook.sources[event.source])
        continue;

      this.queue.enqueue({
        id: this.ids.hex(12),
        kind: "list",
        accountId: event.accountId,
        listId: event.listId,
        webhookId: webhook.id,
        eventType: event.type,
        url: webhook.url,
        headers: { "user-agent": DELIVERY_USER_AGENT },
        body: encodeWebhookForm(event.type, formatWebhookTime(event.firedAtMs), event.data),
        createdAtMs: event.firedAtMs,
        state: "pending",
        attempts: [],
      });
    }
  }

  private webhookOf(delivery: TDelivery): TListWebhook | undefined {
    if (delivery.accountId === undefined || delivery.listId === undefined) return undefined;

    return this.accounts
      .get(delivery.accountId)
      ?.lists.get(delivery.listId)
      ?.webhooks.get(delivery.webhookId);
  }

  private disable(delivery: TDelivery): void {
    const webhook = this.webhookOf(delivery);
    if (webhook === undefined) return;
    webhook.disabled = true;
    this.log.info({ listId: delivery.listId, webhookId: webhook.id }, "list webhook disabled");
  }
}
