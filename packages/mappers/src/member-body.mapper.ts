/**
 * The request body of `PUT /lists/{list_id}/members/{subscriber_hash}` for a mapped member
 * (reference mailchimp-api.md §3.1). Only `status_if_new` is sent, never `status`: an existing
 * member keeps the status it has, so nobody who unsubscribed or was cleaned is subscribed again.
 * Tags are not part of this body; the writer sends `tagChanges` to the member's tags endpoint.
 */
import type { TMemberUpsert } from "@ml-connector/mailchimp-client";

import type { TMappedMember } from "./mapping.types.js";

export function toMemberUpsert(member: TMappedMember): TMemberUpsert {
  return {
    email_address: member.email,
    status_if_new: member.statusIfNew,
    merge_fields: { ...member.mergeFields },
  };
}
