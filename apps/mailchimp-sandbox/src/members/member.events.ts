/**
 * The list events a member change produces, with the data fields Mailchimp's webhook payloads
 * carry for each type (reference/mailchimp-api.md §5.1 sample payloads), and the record a new
 * member starts as (field conventions of recorded responses: "" for unset times and IPs,
 * "API - Generic" as source).
 */
import type { TAudience, TMember, TMergeValue, TWebhookSource } from "../state/audience.model.js";
import { subscriberHash, type IdGenerator } from "../state/id-generator.js";
import type { SandboxClock } from "../state/sandbox-clock.js";
import type { ListEventBus, TFormTree, TListEvent } from "../webhooks/list-event.bus.js";
import type { TMemberInput } from "./member.service.js";

/**
 * `data[merges][…]`: every merge tag plus EMAIL, an address as a nested group
 * (`data[merges][ADDRESS][addr1]`, ntcho gist), numbers as text because form fields have no types.
 */
export function memberMerges(member: TMember): TFormTree {
  const merges: TFormTree = { EMAIL: member.email_address };
  for (const [tag, value] of Object.entries(member.merge_fields)) {
    merges[tag] = typeof value === "object" ? { ...value } : String(value);
  }

  return merges;
}

export class MemberEventEmitter {
  constructor(
    private readonly bus: ListEventBus,
    private readonly clock: SandboxClock,
  ) {}

  member(
    accountId: string,
    list: TAudience,
    member: TMember,
    type: "subscribe" | "profile",
    source: TWebhookSource,
  ): void {
    this.emit(accountId, list, type, source, {
      id: member.unique_email_id,
      list_id: list.id,
      email: member.email_address,
      email_type: member.email_type,
      ip_opt: member.ip_opt,
      ...(type === "subscribe" ? { ip_signup: member.ip_signup } : {}),
      web_id: String(member.web_id),
      merges: memberMerges(member),
    });
  }

  /** `action` is "unsub" for an unsubscribe, "delete" for an archive or a permanent delete. */
  unsubscribe(
    accountId: string,
    list: TAudience,
    member: TMember,
    action: "unsub" | "delete",
    reason: string,
    source: TWebhookSource,
    campaignId?: string,
  ): void {
    this.emit(accountId, list, "unsubscribe", source, {
      action,
      reason,
      id: member.unique_email_id,
      list_id: list.id,
      email: member.email_address,
      email_type: member.email_type,
      ip_opt: member.ip_opt,
      web_id: String(member.web_id),
      merges: memberMerges(member),
      ...(campaignId !== undefined ? { campaign_id: campaignId } : {}),
    });
  }

  cleaned(
    accountId: string,
    list: TAudience,
    member: TMember,
    reason: string,
    source: TWebhookSource,
    campaignId?: string,
  ): void {
    this.emit(accountId, list, "cleaned", source, {
      list_id: list.id,
      campaign_id: campaignId ?? "",
      reason,
      email: member.email_address,
    });
  }

  upemail(
    accountId: string,
    list: TAudience,
    member: TMember,
    oldEmail: string,
    source: TWebhookSource,
  ): void {
    this.emit(accountId, list, "upemail", source, {
      list_id: list.id,
      new_id: member.unique_email_id,
      new_email: member.email_address,
      old_email: oldEmail,
    });
  }

  private emit(
    accountId: string,
    list: TAudience,
    type: TListEvent["type"],
    source: TWebhookSource,
    data: TFormTree,
  ): void {
    this.bus.emit({
      accountId,
      listId: list.id,
      type,
      source,
      firedAtMs: this.clock.nowMs(),
      data,
    });
  }
}

/** A new member record, status still to be set by the caller. */
export function newMemberRecord(
  deps: { clock: SandboxClock; ids: IdGenerator },
  input: TMemberInput,
  mergeFields: Record<string, TMergeValue>,
  sourceLabel = "API - Generic",
): TMember {
  const email = input.email_address ?? "";

  return {
    id: subscriberHash(email),
    email_address: email,
    unique_email_id: deps.ids.hex(10),
    contact_id: deps.ids.hex(32),
    web_id: deps.ids.nextWebId(),
    email_type: input.email_type ?? "html",
    status: "pending",
    compliance_hold: false,
    unsubscribe_reason: "",
    merge_fields: mergeFields,
    interests: {},
    language: input.language ?? "",
    vip: input.vip ?? false,
    location: {
      latitude: input.location?.latitude ?? 0,
      longitude: input.location?.longitude ?? 0,
    },
    ip_signup: input.ip_signup ?? "",
    timestamp_signup: input.timestamp_signup ?? "",
    ip_opt: input.ip_opt ?? "",
    timestamp_opt: input.timestamp_opt ?? "",
    last_changed: deps.clock.isoNow(),
    last_changed_ms: deps.clock.nowMs(),
    member_rating: 2,
    source: sourceLabel,
    tags: new Map(),
  };
}
