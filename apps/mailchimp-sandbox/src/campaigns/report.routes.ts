/**
 * The Reports API the connector polls for engagement (reference/mailchimp-api.md §5.2 (a)):
 * the campaign report, email-activity (with `since`: only events after that time, and only the
 * recipients that have such events), one member's activity, open-details and unsubscribed.
 * Activity is what the simulated clock has reached; advance it to let engagement happen.
 */
import { ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { resourceLinks } from "../api/links.js";
import { problems } from "../http/api-problem.js";
import { param } from "../lists/list.lookup.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TActivityEvent, TCampaign } from "../state/campaign.model.js";
import { formatApiTime } from "../state/sandbox-clock.js";
import { requireCampaign } from "./campaign.routes.js";
import { reportFigures, visibleEvents } from "./report.figures.js";

function sinceMs(call: TApiCall): number | undefined {
  if (call.query.since === undefined) return undefined;
  const ms = Date.parse(call.query.since);
  if (Number.isNaN(ms)) {
    throw problems.invalidResource([
      { field: "since", message: "Please provide a valid ISO 8601 date" },
    ]);
  }

  return ms;
}

function activityItem(event: TActivityEvent): Record<string, unknown> {
  const item: Record<string, unknown> = {
    action: event.action,
    timestamp: formatApiTime(event.atMs),
    ip: event.ip,
  };
  if (event.action === "click") item.url = event.url ?? "";
  if (event.action === "bounce") item.type = event.detail ?? "hard";

  return item;
}

function emailBody(
  call: TApiCall,
  campaign: TCampaign,
  email: string,
  hash: string,
  events: TActivityEvent[],
) {
  return {
    campaign_id: campaign.id,
    list_id: campaign.list_id,
    list_is_active: call.account.lists.has(campaign.list_id),
    email_id: hash,
    email_address: email,
    activity: events.filter((event) => event.action !== "unsub").map(activityItem),
    _links: resourceLinks(
      call.apiBase,
      `/reports/${campaign.id}/email-activity/${hash}`,
      `/reports/${campaign.id}/email-activity`,
    ),
  };
}

function emailActivity(call: TApiCall, ctx: SandboxContext) {
  const campaign = requireCampaign(call);
  const since = sinceMs(call);
  const events = visibleEvents(campaign, ctx.clock.nowMs(), since).filter(
    (event) => event.action !== "unsub",
  );
  const byHash = new Map<string, TActivityEvent[]>();
  for (const event of events) byHash.set(event.hash, [...(byHash.get(event.hash) ?? []), event]);

  const recipients = campaign.recipients.filter(
    (recipient) => since === undefined || byHash.has(recipient.hash),
  );
  const emails = page(recipients, call.query).map((recipient) =>
    emailBody(call, campaign, recipient.email, recipient.hash, byHash.get(recipient.hash) ?? []),
  );

  return ok({ emails, campaign_id: campaign.id, total_items: recipients.length, _links: [] });
}

function openDetails(call: TApiCall, ctx: SandboxContext) {
  const campaign = requireCampaign(call);
  const opens = visibleEvents(campaign, ctx.clock.nowMs(), sinceMs(call)).filter(
    (event) => event.action === "open",
  );
  const byHash = new Map<string, TActivityEvent[]>();
  for (const event of opens) byHash.set(event.hash, [...(byHash.get(event.hash) ?? []), event]);

  const list = call.account.lists.get(campaign.list_id);
  const members = [...byHash].map(([hash, events]) => {
    const recipient = campaign.recipients.find((candidate) => candidate.hash === hash);
    const member = list?.members.get(hash);

    return {
      campaign_id: campaign.id,
      list_id: campaign.list_id,
      list_is_active: list !== undefined,
      contact_status: member?.status ?? "archived",
      email_id: hash,
      email_address: recipient?.email ?? "",
      merge_fields: recipient?.mergeFields ?? {},
      vip: member?.vip ?? false,
      opens_count: events.length,
      opens: events.map((event) => ({ timestamp: formatApiTime(event.atMs) })),
      _links: [],
    };
  });

  return ok({
    members: page(members, call.query),
    campaign_id: campaign.id,
    total_opens: opens.length,
    total_items: members.length,
    _links: [],
  });
}

function unsubscribed(call: TApiCall, ctx: SandboxContext) {
  const campaign = requireCampaign(call);
  const list = call.account.lists.get(campaign.list_id);
  const unsubs = visibleEvents(campaign, ctx.clock.nowMs()).filter(
    (event) => event.action === "unsub",
  );
  const items = unsubs.map((event) => {
    const recipient = campaign.recipients.find((candidate) => candidate.hash === event.hash);

    return {
      email_id: event.hash,
      email_address: event.email,
      merge_fields: recipient?.mergeFields ?? {},
      vip: list?.members.get(event.hash)?.vip ?? false,
      timestamp: formatApiTime(event.atMs),
      reason: event.detail ?? "",
      campaign_id: campaign.id,
      list_id: campaign.list_id,
      list_is_active: list !== undefined,
      _links: [],
    };
  });

  return ok({
    unsubscribes: page(items, call.query),
    campaign_id: campaign.id,
    total_items: items.length,
    _links: [],
  });
}

function report(call: TApiCall, ctx: SandboxContext) {
  const campaign = requireCampaign(call);
  const figures = reportFigures(campaign, ctx.clock.nowMs());

  return ok({
    id: campaign.id,
    campaign_title: campaign.title,
    type: "regular",
    list_id: campaign.list_id,
    list_is_active: call.account.lists.has(campaign.list_id),
    list_name: campaign.list_name,
    subject_line: campaign.subject_line,
    preview_text: "",
    emails_sent: campaign.recipients.length,
    abuse_reports: 0,
    unsubscribed: figures.unsubscribed,
    send_time: campaign.send_time,
    bounces: {
      hard_bounces: figures.hardBounces,
      soft_bounces: figures.softBounces,
      syntax_errors: 0,
    },
    forwards: { forwards_count: 0, forwards_opens: 0 },
    opens: {
      opens_total: figures.opensTotal,
      unique_opens: figures.uniqueOpens,
      open_rate: figures.openRate,
      last_open: figures.lastOpen,
    },
    clicks: {
      clicks_total: figures.clicksTotal,
      unique_clicks: figures.uniqueClicks,
      unique_subscriber_clicks: figures.uniqueClickers,
      click_rate: figures.clickRate,
      last_click: figures.lastClick,
    },
    list_stats: {
      sub_rate: 0,
      unsub_rate: 0,
      open_rate: figures.openRate,
      click_rate: figures.clickRate,
    },
    _links: resourceLinks(call.apiBase, `/reports/${campaign.id}`, "/reports"),
  });
}

export const REPORT_ROUTES: TApiRoute[] = [
  { method: "get", path: "/reports/{campaign_id}", handle: report },
  { method: "get", path: "/reports/{campaign_id}/email-activity", handle: emailActivity },
  {
    method: "get",
    path: "/reports/{campaign_id}/email-activity/{subscriber_hash}",
    handle: (call, ctx) => {
      const campaign = requireCampaign(call);
      const key = param(call.params, "subscriber_hash").toLowerCase();
      const recipient = campaign.recipients.find(
        (candidate) => candidate.hash === key || candidate.email.toLowerCase() === key,
      );
      if (recipient === undefined) throw problems.notFound();
      const events = visibleEvents(campaign, ctx.clock.nowMs(), sinceMs(call)).filter(
        (event) => event.hash === recipient.hash,
      );

      return ok(emailBody(call, campaign, recipient.email, recipient.hash, events));
    },
  },
  { method: "get", path: "/reports/{campaign_id}/open-details", handle: openDetails },
  { method: "get", path: "/reports/{campaign_id}/unsubscribed", handle: unsubscribed },
];
