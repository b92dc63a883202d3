/**
 * GET /reports/{campaign_id}/unsubscribed: who unsubscribed through a campaign (reference
 * mailchimp-api.md §5.2 (a); no `since` parameter). Goes through the MailchimpClient, so the
 * account's connection cap and the retry rules apply.
 * TODO(#7): move into @ml-connector/mailchimp-client beside emailActivity (shared package, owned
 * elsewhere); kept here to leave that package untouched.
 */
import type { MailchimpClient } from "@ml-connector/mailchimp-client";

export type TCampaignUnsubscribe = {
  email_address: string;
  timestamp: string;
  reason?: string;
};

const PAGE_SIZE = 1_000;

export async function campaignUnsubscribes(
  client: MailchimpClient,
  campaignId: string,
  signal?: AbortSignal,
): Promise<TCampaignUnsubscribe[]> {
  const all: TCampaignUnsubscribe[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await client.get<{ unsubscribes: TCampaignUnsubscribe[]; total_items?: number }>(
      `/reports/${encodeURIComponent(campaignId)}/unsubscribed`,
      { count: PAGE_SIZE, offset },
      signal,
    );
    all.push(...page.unsubscribes);
    if (page.unsubscribes.length < PAGE_SIZE || offset + PAGE_SIZE >= (page.total_items ?? 0)) {
      return all;
    }
  }
}
