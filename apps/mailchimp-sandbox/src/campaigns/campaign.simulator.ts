/**
 * "Sends" a campaign to an audience: fires the list's `campaign` webhook and lays out the
 * recipients' engagement (opens, clicks, unsubscribes, bounces) over simulated time. Opens and
 * clicks never arrive by webhook; they show in the Reports API once their time has come
 * (reference §5.2). An unsubscribe or hard bounce changes the member when its time comes and
 * fires the `unsubscribe` / `cleaned` webhook with the campaign id, like a click on the link.
 */
import { z } from "zod";

import type { SandboxContext } from "../sandbox-context.js";
import type { TAccount } from "../state/account.model.js";
import type { TAudience } from "../state/audience.model.js";
import type { TActivityEvent, TCampaign } from "../state/campaign.model.js";
import { subscriberHash } from "../state/id-generator.js";
import { formatApiTime } from "../state/sandbox-clock.js";
import { SeededRandom } from "../state/seeded-random.js";
import { problems } from "../http/api-problem.js";

export const ZSendCampaign = z.object({
  listId: z.string(),
  subject: z.string().default("Sandbox campaign"),
  title: z.string().optional(),
  fromName: z.string().default("Sandbox Manufacturing"),
  // Who sent it, for the webhook's `sources` filter: the web app ("admin") unless stated.
  source: z.enum(["user", "admin", "api"]).default("admin"),
  openRate: z.number().min(0).max(1).default(0.4),
  clickRate: z.number().min(0).max(1).default(0.1),
  unsubscribeRate: z.number().min(0).max(1).default(0.01),
  bounceRate: z.number().min(0).max(1).default(0.01),
  // Simulated window the generated engagement is spread over.
  durationMinutes: z
    .number()
    .positive()
    .max(60 * 24 * 90)
    .default(48 * 60),
  urls: z.array(z.url()).min(1).default(["https://www.sandbox-manufacturing.com/catalog"]),
  seed: z.string().optional(),
  // Exact engagement instead of (in addition to) generated rates.
  activity: z
    .array(
      z.object({
        email: z.string(),
        action: z.enum(["open", "click", "bounce", "unsub"]),
        afterMinutes: z.number().min(0),
        url: z.string().optional(),
        detail: z.string().optional(),
      }),
    )
    .default([]),
  generate: z.boolean().default(true),
});
export type TSendCampaignInput = z.input<typeof ZSendCampaign>;

/** Opens and clicks per recipient stay bounded: a record cannot grow without limit. */
const MAX_EVENTS_PER_RECIPIENT = 20;
const MINUTE = 60_000;

export class CampaignSimulator {
  constructor(private readonly ctx: SandboxContext) {}

  send(account: TAccount, input: TSendCampaignInput): TCampaign {
    const options = ZSendCampaign.parse(input);
    const list = account.lists.get(options.listId);
    if (list === undefined) throw problems.notFound();

    const { clock, ids } = this.ctx;
    const sentAt = clock.nowMs();
    const recipients = [...list.members.values()]
      .filter((member) => member.status === "subscribed")
      .map((member) => ({
        email: member.email_address,
        hash: member.id,
        mergeFields: { ...member.merge_fields },
      }));

    const campaign: TCampaign = {
      id: ids.hex(10),
      web_id: ids.nextWebId(),
      list_id: list.id,
      list_name: list.name,
      title: options.title ?? options.subject,
      subject_line: options.subject,
      from_name: options.fromName,
      reply_to: list.campaign_defaults.from_email ?? "",
      create_time: formatApiTime(sentAt),
      send_time: formatApiTime(sentAt),
      send_time_ms: sentAt,
      recipients,
      activity: [],
      urls: options.urls,
    };
    const random = new SeededRandom(options.seed ?? `${this.ctx.options.seed}:${campaign.id}`);
    if (options.generate)
      campaign.activity.push(...generateActivity(recipients, options, sentAt, random));
    campaign.activity.push(...explicitActivity(options, sentAt, campaign.urls));
    campaign.activity.sort((a, b) => a.atMs - b.atMs);
    account.campaigns.set(campaign.id, campaign);

    this.ctx.events.emit({
      accountId: account.id,
      listId: list.id,
      type: "campaign",
      source: options.source,
      firedAtMs: sentAt,
      data: {
        id: campaign.id,
        subject: campaign.subject_line,
        status: "sent",
        reason: "",
        list_id: list.id,
      },
    });
    for (const event of campaign.activity) {
      if (event.action === "unsub" || event.action === "bounce") {
        this.ctx.scheduler.at(event.atMs, () => this.applyToMember(account, list, campaign, event));
      }
    }
    this.ctx.log.info(
      {
        listId: list.id,
        campaignId: campaign.id,
        recipients: recipients.length,
        events: campaign.activity.length,
      },
      "campaign sent",
    );

    return campaign;
  }

  private applyToMember(
    account: TAccount,
    list: TAudience,
    campaign: TCampaign,
    event: TActivityEvent,
  ): void {
    event.applied = true;
    const member = list.members.get(event.hash);
    if (member === undefined || member.status !== "subscribed") return;

    if (event.action === "unsub") {
      this.ctx.members.changeStatus(account.id, list, member, "unsubscribed", {
        source: "user",
        reason: event.detail ?? "manual",
        campaignId: campaign.id,
      });
      return;
    }
    if (event.detail !== "soft") {
      this.ctx.members.changeStatus(account.id, list, member, "cleaned", {
        source: "user",
        reason: "hard",
        campaignId: campaign.id,
      });
    }
  }
}

function generateActivity(
  recipients: TCampaign["recipients"],
  options: z.output<typeof ZSendCampaign>,
  sentAt: number,
  random: SeededRandom,
): TActivityEvent[] {
  const events: TActivityEvent[] = [];
  const window = options.durationMinutes * MINUTE;
  const at = (from: number) => Math.round(from + random.next() * (sentAt + window - from));
  const ip = () => `198.51.100.${1 + random.int(254)}`;

  for (const recipient of recipients) {
    const base = { email: recipient.email, hash: recipient.hash, applied: false };
    if (random.next() < options.bounceRate) {
      const detail = random.next() < 0.7 ? "hard" : "soft";
      events.push({
        ...base,
        action: "bounce",
        atMs: sentAt + random.int(10 * MINUTE),
        ip: "",
        detail,
      });
      continue;
    }
    if (random.next() >= options.openRate) continue;

    const opens = 1 + random.int(3);
    let firstOpen = Number.POSITIVE_INFINITY;
    for (let index = 0; index < opens; index += 1) {
      const openAt = at(sentAt);
      firstOpen = Math.min(firstOpen, openAt);
      events.push({ ...base, action: "open", atMs: openAt, ip: ip() });
    }
    if (random.next() < options.clickRate / Math.max(options.openRate, 0.0001)) {
      events.push({
        ...base,
        action: "click",
        atMs: at(firstOpen),
        ip: ip(),
        url: random.pick(options.urls),
      });
    }
    if (random.next() < options.unsubscribeRate / Math.max(options.openRate, 0.0001)) {
      events.push({ ...base, action: "unsub", atMs: at(firstOpen), ip: ip(), detail: "manual" });
    }
  }

  return capPerRecipient(events);
}

function explicitActivity(
  options: z.output<typeof ZSendCampaign>,
  sentAt: number,
  urls: string[],
): TActivityEvent[] {
  return options.activity.map((event) => ({
    email: event.email,
    hash: subscriberHash(event.email),
    action: event.action,
    atMs: sentAt + Math.round(event.afterMinutes * MINUTE),
    ip: event.action === "bounce" ? "" : "198.51.100.7",
    url: event.action === "click" ? (event.url ?? urls[0]) : undefined,
    detail:
      event.detail ??
      (event.action === "bounce" ? "hard" : event.action === "unsub" ? "manual" : undefined),
    applied: false,
  }));
}

function capPerRecipient(events: TActivityEvent[]): TActivityEvent[] {
  const counts = new Map<string, number>();

  return events.filter((event) => {
    const count = (counts.get(event.hash) ?? 0) + 1;
    counts.set(event.hash, count);

    return count <= MAX_EVENTS_PER_RECIPIENT;
  });
}
