/**
 * Engagement of a campaign as of a simulated time: the counts the campaign and report resources
 * show. Only events whose time has come count.
 */
import type { TActivityEvent, TCampaign } from "../state/campaign.model.js";

export type TReportFigures = {
  opensTotal: number;
  uniqueOpens: number;
  openRate: number;
  lastOpen: string;
  clicksTotal: number;
  uniqueClicks: number;
  uniqueClickers: number;
  clickRate: number;
  lastClick: string;
  hardBounces: number;
  softBounces: number;
  unsubscribed: number;
};

export function visibleEvents(
  campaign: TCampaign,
  nowMs: number,
  sinceMs?: number,
): TActivityEvent[] {
  return campaign.activity.filter(
    (event) => event.atMs <= nowMs && (sinceMs === undefined || event.atMs > sinceMs),
  );
}

export function reportFigures(campaign: TCampaign, nowMs: number): TReportFigures {
  const events = visibleEvents(campaign, nowMs);
  const opens = events.filter((event) => event.action === "open");
  const clicks = events.filter((event) => event.action === "click");
  const bounces = events.filter((event) => event.action === "bounce");
  const delivered = Math.max(1, campaign.recipients.length - bounces.length);
  const uniqueOpeners = new Set(opens.map((event) => event.hash)).size;
  const uniqueClickers = new Set(clicks.map((event) => event.hash)).size;
  const uniqueClicks = new Set(clicks.map((event) => `${event.hash} ${event.url ?? ""}`)).size;
  const last = (list: TActivityEvent[]) => {
    const event = list[list.length - 1];

    return event === undefined ? "" : new Date(event.atMs).toISOString().slice(0, 19) + "+00:00";
  };

  return {
    opensTotal: opens.length,
    uniqueOpens: uniqueOpeners,
    openRate: uniqueOpeners / delivered,
    lastOpen: last(opens),
    clicksTotal: clicks.length,
    uniqueClicks,
    uniqueClickers,
    clickRate: uniqueClickers / delivered,
    lastClick: last(clicks),
    hardBounces: bounces.filter((event) => event.detail !== "soft").length,
    softBounces: bounces.filter((event) => event.detail === "soft").length,
    unsubscribed: events.filter((event) => event.action === "unsub").length,
  };
}
