/**
 * Changes to an audience that Mailchimp reports through list webhooks: subscribe, unsubscribe,
 * profile, upemail, cleaned and campaign, each with the source that caused it (a subscriber, an
 * admin in the web app, or an API call), which webhooks filter on ([SPEC] AddWebhook, §5.1).
 * Producers (member writes, the control API, campaigns) emit; the webhook dispatcher listens.
 */
import type { TWebhookEventType, TWebhookSource } from "../state/audience.model.js";

/** Nested form data: becomes `data[merges][FNAME]=…` keys on the wire. */
export type TFormTree = { [key: string]: string | TFormTree };

export type TListEvent = {
  accountId: string;
  listId: string;
  type: TWebhookEventType;
  source: TWebhookSource;
  firedAtMs: number;
  data: TFormTree;
};

type TListener = (event: TListEvent) => void;

export class ListEventBus {
  private readonly listeners = new Set<TListener>();
  private readonly recent: TListEvent[] = [];

  constructor(private readonly keep: number) {}

  on(listener: TListener): void {
    this.listeners.add(listener);
  }

  emit(event: TListEvent): void {
    this.recent.push(event);
    if (this.recent.length > this.keep) this.recent.shift();
    for (const listener of this.listeners) listener(event);
  }

  /** Events emitted lately, oldest first (control API inspection). */
  history(): readonly TListEvent[] {
    return this.recent;
  }
}
