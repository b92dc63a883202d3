/**
 * GET /campaigns and GET /campaigns/{campaign_id}: the campaigns sent through the control API,
 * so the connector can find what to poll (`since_send_time`, reference §5.2 (a)).
 */
import { ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { resourceLinks } from "../api/links.js";
import { problems } from "../http/api-problem.js";
import { param } from "../lists/list.lookup.js";
import type { TAccount } from "../state/account.model.js";
import type { TCampaign } from "../state/campaign.model.js";
import { reportFigures } from "./report.figures.js";

export function requireCampaign(call: TApiCall): TCampaign {
  const campaign = call.account.campaigns.get(param(call.params, "campaign_id"));
  if (campaign === undefined) throw problems.notFound();

  return campaign;
}

function serializeCampaign(apiBase: string, account: TAccount, campaign: TCampaign, nowMs: number) {
  const figures = reportFigures(campaign, nowMs);

  return {
    id: campaign.id,
    web_id: campaign.web_id,
    type: "regular",
    create_time: campaign.create_time,
    archive_url: `http://eepurl.com/${campaign.id.slice(0, 6)}`,
    long_archive_url:
      `https://sandbox.${account.dc}.campaign-archive.com/` + `?u=${account.id}&id=${campaign.id}`,
    status: "sent",
    emails_sent: campaign.recipients.length,
    send_time: campaign.send_time,
    content_type: "template",
    needs_block_refresh: false,
    resendable: false,
    recipients: {
      list_id: campaign.list_id,
      list_is_active: account.lists.has(campaign.list_id),
      list_name: campaign.list_name,
      segment_text: "",
      recipient_count: campaign.recipients.length,
    },
    settings: {
      subject_line: campaign.subject_line,
      preview_text: "",
      title: campaign.title,
      from_name: campaign.from_name,
      reply_to: campaign.reply_to,
      use_conversation: false,
      to_name: "",
      folder_id: "",
      authenticate: true,
      auto_footer: false,
      inline_css: false,
      auto_tweet: false,
      fb_comments: true,
      timewarp: false,
      template_id: 0,
      drag_and_drop: true,
    },
    tracking: {
      opens: true,
      html_clicks: true,
      text_clicks: false,
      goal_tracking: false,
      ecomm360: true,
      google_analytics: "",
      clicktale: "",
    },
    report_summary: {
      opens: figures.opensTotal,
      unique_opens: figures.uniqueOpens,
      open_rate: figures.openRate,
      clicks: figures.clicksTotal,
      subscriber_clicks: figures.uniqueClickers,
      click_rate: figures.clickRate,
    },
    delivery_status: { enabled: false },
    _links: resourceLinks(apiBase, `/campaigns/${campaign.id}`, "/campaigns"),
  };
}

function within(value: string, since: string | undefined, before: string | undefined): boolean {
  const ms = Date.parse(value);
  if (since !== undefined && !(ms > Date.parse(since))) return false;
  if (before !== undefined && !(ms < Date.parse(before))) return false;

  return true;
}

export const CAMPAIGN_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/campaigns",
    handle: (call, ctx) => {
      const { query } = call;
      const campaigns = [...call.account.campaigns.values()].filter(
        (campaign) =>
          (query.status === undefined || query.status === "sent") &&
          (query.type === undefined || query.type === "regular") &&
          (query.list_id === undefined || query.list_id === campaign.list_id) &&
          within(campaign.send_time, query.since_send_time, query.before_send_time) &&
          within(campaign.create_time, query.since_create_time, query.before_create_time),
      );
      if (query.sort_dir === "DESC") campaigns.reverse();
      const nowMs = ctx.clock.nowMs();

      return ok({
        campaigns: page(campaigns, query).map((campaign) =>
          serializeCampaign(call.apiBase, call.account, campaign, nowMs),
        ),
        total_items: campaigns.length,
        _links: [],
      });
    },
  },
  {
    method: "get",
    path: "/campaigns/{campaign_id}",
    handle: (call, ctx) =>
      ok(serializeCampaign(call.apiBase, call.account, requireCampaign(call), ctx.clock.nowMs())),
  },
];
