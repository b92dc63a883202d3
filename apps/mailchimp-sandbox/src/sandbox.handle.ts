/**
 * What startMailchimpSandbox() returns: the URLs to point a client at, the sandbox-mode
 * credentials, and in-process shortcuts to the control API for tests and benchmarks (the same
 * operations are available over HTTP under /_sandbox, see README).
 */
import type { TSendCampaignInput } from "./campaigns/campaign.simulator.js";
import { ControlError } from "./control/control-http.js";
import {
  buildMandrillEvent,
  ZMandrillEventInput,
  type TMandrillEventInput,
} from "./control/mandrill-events.js";
import { statsSnapshot } from "./control/operations.routes.js";
import {
  provisionAccount,
  provisionList,
  provisionStore,
  ZNewAccount,
  ZNewList,
  ZNewStore,
} from "./control/provisioning.js";
import { applySubscriberAction, type TSubscriberAction } from "./control/subscriber-actions.js";
import type { TFaultRule, TFaultRuleInput } from "./http/fault.injector.js";
import type { SandboxContext } from "./sandbox-context.js";
import type { TSandboxDefaults } from "./sandbox.server.js";
import type { TAccount } from "./state/account.model.js";
import type { TAudience, TMember } from "./state/audience.model.js";
import type { TCampaign } from "./state/campaign.model.js";
import type { TDelivery } from "./webhooks/delivery.queue.js";
import type { TMandrillWebhook } from "./webhooks/mandrill.dispatcher.js";

export type TAccountStatsView = {
  id: string;
  dc: string;
  inFlight: number;
  peakInFlight: number;
  rejectedTooMany: number;
  rejectedForbidden: number;
  requests: number;
};

export class SandboxHandle {
  /** "http://127.0.0.1:PORT": the server root. */
  readonly url: string;

  constructor(
    /** Everything the sandbox holds, for assertions the shortcuts below do not cover. */
    readonly context: SandboxContext,
    readonly port: number,
    readonly close: () => Promise<void>,
    /** The sandbox-mode account, audience, store and OAuth app (undefined when disabled). */
    readonly defaults: TSandboxDefaults | undefined,
  ) {
    this.url = context.publicUrl;
  }

  /** Marketing API base for a data center: "http://127.0.0.1:PORT/us21/3.0". */
  baseUrlFor(dc: string): string {
    return this.context.apiBase(dc);
  }

  /** Where a client's OAuth "login.mailchimp.com" base should point: ".../login". */
  get loginUrl(): string {
    return `${this.url}/login`;
  }

  createAccount(input: { dc?: string; name?: string; apiKey?: string } = {}): {
    account: TAccount;
    apiKey: string;
  } {
    return provisionAccount(this.context, ZNewAccount.parse(input));
  }

  createList(
    accountId: string,
    input: { id?: string; name?: string; doubleOptin?: boolean } = {},
  ): TAudience {
    return provisionList(this.context, this.account(accountId), ZNewList.parse(input));
  }

  createStore(
    accountId: string,
    input: { id: string; listId: string; name?: string; currencyCode?: string },
  ) {
    return provisionStore(this.context, this.account(accountId), ZNewStore.parse(input));
  }

  account(accountId: string): TAccount {
    const account = this.context.accounts.get(accountId);
    if (account === undefined) throw new ControlError(404, "no such account");

    return account;
  }

  list(accountId: string, listId: string): TAudience {
    const list = this.account(accountId).lists.get(listId);
    if (list === undefined) throw new ControlError(404, "no such list");

    return list;
  }

  member(accountId: string, listId: string, emailOrHash: string): TMember | undefined {
    return this.context.members.find(this.list(accountId, listId), emailOrHash);
  }

  subscriberAction(accountId: string, listId: string, action: TSubscriberAction): TMember {
    return applySubscriberAction(
      this.context,
      this.account(accountId),
      this.list(accountId, listId),
      action,
    );
  }

  sendCampaign(accountId: string, input: TSendCampaignInput): TCampaign {
    return this.context.campaigns.send(this.account(accountId), input);
  }

  advanceClock(ms: number): void {
    this.context.clock.advance(ms);
  }

  addFault(rule: TFaultRuleInput): TFaultRule {
    return this.context.faults.add(rule);
  }

  clearFaults(): void {
    this.context.faults.clear();
  }

  configure(change: {
    latency?: Partial<SandboxContext["options"]["latency"]>;
    connections?: Partial<SandboxContext["options"]["connections"]>;
    batches?: Partial<SandboxContext["options"]["batches"]>;
    webhooks?: { timeoutMs?: number; retryScheduleMs?: number[] };
    wrongDataCenterStatus?: "401" | "403";
  }): void {
    const { options } = this.context;
    Object.assign(options.latency, change.latency);
    Object.assign(options.connections, change.connections);
    Object.assign(options.batches, change.batches);
    if (change.wrongDataCenterStatus !== undefined)
      options.wrongDataCenterStatus = change.wrongDataCenterStatus;
    if (change.webhooks !== undefined) {
      Object.assign(options.webhooks, change.webhooks);
      this.context.listWebhooks.queue.configure(change.webhooks);
    }
  }

  stats(): ReturnType<typeof statsSnapshot> {
    return statsSnapshot(this.context);
  }

  accountStats(accountId: string): TAccountStatsView {
    const account = this.account(accountId);

    return { id: account.id, dc: account.dc, ...account.stats };
  }

  /** Resets counters; the peak concurrency restarts from what is in flight now. */
  resetStats(): void {
    this.context.stats.reset();
    for (const account of this.context.accounts.all()) {
      Object.assign(account.stats, {
        peakInFlight: account.stats.inFlight,
        rejectedTooMany: 0,
        rejectedForbidden: 0,
        requests: 0,
      });
    }
  }

  listWebhookDeliveries(): readonly TDelivery[] {
    return this.context.listWebhooks.queue.all();
  }

  mandrillDeliveries(): readonly TDelivery[] {
    return this.context.mandrill.queue.all();
  }

  /** Resolves when no webhook POST is in flight. */
  async deliveriesSettled(): Promise<void> {
    await Promise.all([
      this.context.listWebhooks.queue.settled(),
      this.context.mandrill.queue.settled(),
    ]);
  }

  addMandrillWebhook(input: {
    url: string;
    events?: string[];
    description?: string;
    authKey?: string;
  }): TMandrillWebhook {
    return this.context.mandrill.add(input);
  }

  /** Builds and delivers Mandrill events; returns the events as sent. */
  sendMandrillEvents(events: TMandrillEventInput[]): ReturnType<typeof buildMandrillEvent>[] {
    const built = events.map((event) =>
      buildMandrillEvent(this.context, ZMandrillEventInput.parse(event)),
    );
    this.context.mandrill.deliver(built);

    return built;
  }
}
