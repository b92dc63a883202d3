/**
 * The `data[merges][…]` part of list webhook payloads: every merge tag of the member plus EMAIL,
 * an address as a nested group (`data[merges][ADDRESS][addr1]`, ntcho gist, §5.1), numbers as
 * text because form fields have no types.
 */
import type { TMember } from "../state/audience.model.js";
import type { TFormTree } from "../webhooks/list-event.bus.js";

export function memberMerges(member: TMember): TFormTree {
  const merges: TFormTree = { EMAIL: member.email_address };
  for (const [tag, value] of Object.entries(member.merge_fields)) {
    if (typeof value === "object") {
      merges[tag] = { ...value };
      continue;
    }
    merges[tag] = String(value);
  }

  return merges;
}
