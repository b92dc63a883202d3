/**
 * Engagement from the Reports API: marketing-campaign opens and clicks never arrive by webhook,
 * so they are read per campaign with `since` (reference mailchimp-api.md §5.2).
 */
import type { MailchimpClient } from "./mailchimp.client.js";

export type TEmailActivity = {
  campaign_id: string;
  list_id?: string;
  email_id?: string;
  email_address: string;
  activity: { action: string; timestamp: string; url?: string; ip?: string }[];
};

const PAGE_SIZE = 1_000;

/** Every member's activity in a campaign after `since`, page by page (count ≤ 1000). */
export async function* emailActivity(
  client: MailchimpClient,
  campaignId: string,
  since?: Date,
  signal?: AbortSignal,
): AsyncGenerator<TEmailActivity[]> {
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await client.get<{ emails: TEmailActivity[]; total_items?: number }>(
      `/reports/${encodeURIComponent(campaignId)}/email-activity`,
      { count: PAGE_SIZE, offset, since: since?.toISOString() },
      signal,
    );
    yield page.emails;
    const total = page.total_items ?? 0;
    if (page.emails.length < PAGE_SIZE || offset + PAGE_SIZE >= total) return;
  }
}

export function getCampaign(client: MailchimpClient, campaignId: string) {
  return client.get<{
    id: string;
    status: string;
    send_time?: string;
    settings?: { title?: string; subject_line?: string };
    recipients?: { list_id?: string };
  }>(`/campaigns/${encodeURIComponent(campaignId)}`);
}
