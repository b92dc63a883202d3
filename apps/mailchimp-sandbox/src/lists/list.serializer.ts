/** An audience as GET /lists/{list_id} returns it, with the stats the connector's checks read. */
import { resourceLinks } from "../api/links.js";
import type { TAccount } from "../state/account.model.js";
import type { TAudience } from "../state/audience.model.js";

export function serializeList(
  apiBase: string,
  account: TAccount,
  list: TAudience,
): Record<string, unknown> {
  let subscribed = 0;
  let unsubscribed = 0;
  let cleaned = 0;
  for (const member of list.members.values()) {
    if (member.status === "subscribed") subscribed += 1;
    if (member.status === "unsubscribed") unsubscribed += 1;
    if (member.status === "cleaned") cleaned += 1;
  }
  const campaigns = [...account.campaigns.values()].filter(
    (campaign) => campaign.list_id === list.id,
  );
  const lastSent =
    campaigns
      .map((campaign) => campaign.send_time)
      .sort()
      .pop() ?? "";

  return {
    id: list.id,
    web_id: list.web_id,
    name: list.name,
    contact: { ...list.contact },
    permission_reminder: list.permission_reminder,
    use_archive_bar: false,
    campaign_defaults: { ...list.campaign_defaults },
    notify_on_subscribe: "",
    notify_on_unsubscribe: "",
    date_created: list.date_created,
    list_rating: 0,
    email_type_option: list.email_type_option,
    subscribe_url_short: `http://eepurl.com/${list.id.slice(0, 6)}`,
    subscribe_url_long:
      `https://sandbox.${account.dc}.list-manage.com/subscribe` + `?u=${account.id}&id=${list.id}`,
    beamer_address: `${list.id}@inbound.mailchimp.com`,
    visibility: "prv",
    double_optin: list.double_optin,
    has_welcome: false,
    marketing_permissions: false,
    modules: [],
    stats: {
      member_count: subscribed,
      total_contacts: list.members.size,
      unsubscribe_count: unsubscribed,
      cleaned_count: cleaned,
      member_count_since_send: subscribed,
      unsubscribe_count_since_send: unsubscribed,
      cleaned_count_since_send: cleaned,
      campaign_count: campaigns.length,
      campaign_last_sent: lastSent,
      merge_field_count: list.mergeFields.length,
      avg_sub_rate: 0,
      avg_unsub_rate: 0,
      target_sub_rate: 0,
      open_rate: 0,
      click_rate: 0,
      last_sub_date: "",
      last_unsub_date: "",
    },
    _links: resourceLinks(apiBase, `/lists/${list.id}`, "/lists"),
  };
}
