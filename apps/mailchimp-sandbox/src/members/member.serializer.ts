/**
 * A member as the API returns it: the field set and empty-string conventions of recorded
 * Mailchimp responses (grouparoo fixtures: "ip_signup":"", "timestamp_signup":"", location with
 * gmtoff/dstoff/country_code/timezone, "source":"API - Generic", tags as {id, name}).
 */
import { resourceLinks } from "../api/links.js";
import type { TAudience, TMember } from "../state/audience.model.js";

export function serializeMember(
  apiBase: string,
  list: TAudience,
  member: TMember,
): Record<string, unknown> {
  const firstName = member.merge_fields.FNAME;
  const lastName = member.merge_fields.LNAME;
  const fullName = [firstName, lastName]
    .filter((part): part is string => typeof part === "string" && part !== "")
    .join(" ");
  const tags = [...member.tags.values()].map((tag) => ({ id: tag.id, name: tag.name }));
  const path = `/lists/${list.id}/members/${member.id}`;

  const body: Record<string, unknown> = {
    id: member.id,
    email_address: member.email_address,
    unique_email_id: member.unique_email_id,
    contact_id: member.contact_id,
    full_name: fullName,
    web_id: member.web_id,
    email_type: member.email_type,
    status: member.status,
    consents_to_one_to_one_messaging: true,
    merge_fields: { ...member.merge_fields },
    stats: { avg_open_rate: 0, avg_click_rate: 0 },
    ip_signup: member.ip_signup,
    timestamp_signup: member.timestamp_signup,
    ip_opt: member.ip_opt,
    timestamp_opt: member.timestamp_opt,
    member_rating: member.member_rating,
    last_changed: member.last_changed,
    language: member.language,
    vip: member.vip,
    email_client: "",
    location: {
      latitude: member.location.latitude,
      longitude: member.location.longitude,
      gmtoff: 0,
      dstoff: 0,
      country_code: "",
      timezone: "",
      region: "",
    },
    source: member.source,
    tags_count: tags.length,
    tags,
    list_id: list.id,
    _links: resourceLinks(apiBase, path, `/lists/${list.id}/members`),
  };
  if (member.status === "unsubscribed") body.unsubscribe_reason = member.unsubscribe_reason;

  return body;
}

/**
 * Members inside a batch subscribe answer: the spec's narrower member schema for
 * new_members/updated_members (no contact_id, full_name, web_id, consents, source, region).
 */
export function serializeBatchMember(
  apiBase: string,
  list: TAudience,
  member: TMember,
): Record<string, unknown> {
  const {
    contact_id: _contactId,
    full_name: _fullName,
    web_id: _webId,
    consents_to_one_to_one_messaging: _consents,
    source: _source,
    unsubscribe_reason: _reason,
    location,
    ...rest
  } = serializeMember(apiBase, list, member);
  const { region: _region, ...place } = location as Record<string, unknown>;

  return { ...rest, location: place };
}
