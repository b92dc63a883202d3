/**
 * Writes to audience members with Mailchimp's rules (reference/mailchimp-api.md §3):
 * - PUT upserts by MD5 of the lower-cased address; `status` applies to new and existing members,
 *   `status_if_new` only to new ones; a PUT on an existing hash with another address renames it.
 * - A subscribed status is refused for members in compliance state (unsubscribed or cleaned).
 * - DELETE archives; delete-permanent forgets the address, which can then never be re-imported.
 * Each effective change is emitted as a list event with source "api" (or the control API's).
 */
import { problems, type TFieldError } from "../http/api-problem.js";
import type {
  TAudience,
  TMember,
  TMemberStatus,
  TWebhookSource,
  TWritableStatus,
} from "../state/audience.model.js";
import { subscriberHash, type IdGenerator } from "../state/id-generator.js";
import { assertRecordSize } from "../state/record-limits.js";
import type { SandboxClock } from "../state/sandbox-clock.js";
import type { ListEventBus } from "../webhooks/list-event.bus.js";
import { emailProblem, type TEmailRules } from "./email.rules.js";
import { MemberEventEmitter, newMemberRecord } from "./member.events.js";
import { applyMergeFields, emptyMergeValues } from "./merge-field.rules.js";

export type TMemberInput = {
  email_address?: string;
  status?: TWritableStatus;
  status_if_new?: TWritableStatus;
  email_type?: string;
  merge_fields?: Record<string, unknown>;
  interests?: Record<string, boolean>;
  language?: string;
  vip?: boolean;
  location?: { latitude?: number; longitude?: number };
  ip_signup?: string;
  timestamp_signup?: string;
  ip_opt?: string;
  timestamp_opt?: string;
  tags?: string[];
};

export type TWriteOptions = {
  source: TWebhookSource;
  skipMergeValidation?: boolean;
  /** The "API - Generic" / "Admin Add" label Mailchimp shows in `source`. */
  sourceLabel?: string;
};

export type TMemberDeps = {
  clock: SandboxClock;
  ids: IdGenerator;
  events: ListEventBus;
  emailRules: TEmailRules;
  maxRecordBytes: number;
};

const HASH = /^[0-9a-f]{32}$/i;

export class MemberService {
  private readonly emitter: MemberEventEmitter;

  constructor(private readonly deps: TMemberDeps) {
    this.emitter = new MemberEventEmitter(deps.events, deps.clock);
  }

  /** The member a path key names: an MD5 hash, an e-mail address or a contact_id ([SPEC]). */
  find(list: TAudience, key: string): TMember | undefined {
    const hash = hashForKey(key);
    const byHash = list.members.get(hash);
    if (byHash !== undefined) return byHash;

    return list.membersByContactId.get(key);
  }

  require(list: TAudience, key: string): TMember {
    const member = this.find(list, key);
    if (member === undefined) throw problems.notFound();

    return member;
  }

  /** PUT /lists/{list_id}/members/{subscriber_hash}. */
  upsert(
    accountId: string,
    list: TAudience,
    key: string,
    input: TMemberInput,
    options: TWriteOptions,
  ): TMember {
    const existing = this.find(list, key);
    const email = input.email_address;

    if (existing === undefined) {
      if (email === undefined) throw problems.notFound();
      const targetHash = subscriberHash(email);
      const keyHash = hashForKey(key);
      if (HASH.test(keyHash) && keyHash !== targetHash) {
        // A hash of the address not lower-cased first, or another address entirely.
        if (list.members.has(targetHash)) throw problems.memberExists(email);
        throw problems.invalidResource([
          {
            field: "email_address",
            message: "The subscriber hash does not match the email address",
          },
        ]);
      }

      return this.create(accountId, list, input, input.status ?? input.status_if_new, options);
    }

    if (email !== undefined && subscriberHash(email) !== existing.id) {
      this.rename(accountId, list, existing, email, options.source);
    }
    const requested =
      existing.status === "archived" ? (input.status ?? input.status_if_new) : input.status;

    return this.update(accountId, list, existing, input, requested, options);
  }

  /** POST /lists/{list_id}/members: create only; an existing address is "Member Exists". */
  add(accountId: string, list: TAudience, input: TMemberInput, options: TWriteOptions): TMember {
    const email = input.email_address ?? "";
    const existing = list.members.get(subscriberHash(email));
    if (existing !== undefined && existing.status !== "archived")
      throw problems.memberExists(email);
    if (existing !== undefined)
      return this.update(accountId, list, existing, input, input.status, options);

    return this.create(accountId, list, input, input.status, options);
  }

  /** PATCH: update an existing member only. */
  patch(
    accountId: string,
    list: TAudience,
    key: string,
    input: TMemberInput,
    options: TWriteOptions,
  ): TMember {
    const existing = this.require(list, key);
    if (input.email_address !== undefined && subscriberHash(input.email_address) !== existing.id) {
      this.rename(accountId, list, existing, input.email_address, options.source);
    }

    return this.update(accountId, list, existing, input, input.status, options);
  }

  /** DELETE: archive. The member stays readable with status "archived". */
  archive(accountId: string, list: TAudience, key: string, source: TWebhookSource): void {
    const member = this.require(list, key);
    if (member.status === "archived") throw problems.notFound();

    const wasSubscribed = member.status === "subscribed";
    member.status_before_archive = member.status;
    member.status = "archived";
    this.touch(member);
    if (wasSubscribed)
      this.emitter.unsubscribe(accountId, list, member, "delete", "manual", source);
  }

  /** POST …/actions/delete-permanent: erase the member and refuse the address from now on. */
  deletePermanent(accountId: string, list: TAudience, key: string, source: TWebhookSource): void {
    const member = this.require(list, key);
    const wasSubscribed = member.status === "subscribed";
    list.members.delete(member.id);
    list.membersByContactId.delete(member.contact_id);
    list.forgotten.add(member.id);
    if (wasSubscribed)
      this.emitter.unsubscribe(accountId, list, member, "delete", "manual", source);
  }

  /** Validates an address as Mailchimp would; throws the matching problem. */
  assertAcceptableEmail(list: TAudience, email: unknown): void {
    const problem = emailProblem(email, this.deps.emailRules);
    if (problem !== undefined) throw problem;
    if (list.forgotten.has(subscriberHash(email as string))) {
      throw problems.forgottenEmail(email as string);
    }
  }

  /** Applies a status change with the compliance rule; returns whether the status changed. */
  changeStatus(
    accountId: string,
    list: TAudience,
    member: TMember,
    next: TMemberStatus,
    cause: { source: TWebhookSource; reason?: string; campaignId?: string },
  ): boolean {
    const previous = member.status;
    if (previous === next) return false;
    if (next === "subscribed" && member.compliance_hold) {
      throw problems.complianceState(member.email_address);
    }

    member.status = next;
    if (next === "unsubscribed" || next === "cleaned") member.compliance_hold = true;
    if (next === "unsubscribed")
      member.unsubscribe_reason = cause.reason ?? "N/A (Unsubscribed by an admin)";
    if (next === "subscribed" && member.timestamp_opt === "")
      member.timestamp_opt = this.deps.clock.isoNow();
    this.touch(member);

    if (next === "subscribed")
      this.emitter.member(accountId, list, member, "subscribe", cause.source);
    if (next === "unsubscribed" && previous === "subscribed") {
      this.emitter.unsubscribe(
        accountId,
        list,
        member,
        "unsub",
        cause.reason ?? "manual",
        cause.source,
        cause.campaignId,
      );
    }
    if (next === "cleaned") {
      this.emitter.cleaned(
        accountId,
        list,
        member,
        cause.reason ?? "hard",
        cause.source,
        cause.campaignId,
      );
    }

    return true;
  }

  private create(
    accountId: string,
    list: TAudience,
    input: TMemberInput,
    status: TWritableStatus | undefined,
    options: TWriteOptions,
  ): TMember {
    const email = input.email_address ?? "";
    this.assertAcceptableEmail(list, email);
    if (status === undefined) {
      throw problems.invalidResource([
        { field: "", message: "Required fields were not provided: status_if_new" },
      ]);
    }
    assertKnownInterests(input.interests);

    const merges = applyMergeFields(
      list.mergeFields,
      emptyMergeValues(list.mergeFields),
      input.merge_fields,
      {
        isNew: true,
        skipMergeValidation: options.skipMergeValidation ?? false,
      },
    );
    throwMergeErrors(merges.schemaErrors, merges.errors);

    const member = newMemberRecord(this.deps, input, merges.values, options.sourceLabel);
    member.status = status;
    if (status === "subscribed" && member.timestamp_opt === "") {
      member.timestamp_opt = this.deps.clock.isoNow();
    }
    if (status === "unsubscribed" || status === "cleaned") member.compliance_hold = true;
    for (const name of input.tags ?? []) this.addTag(list, member, name);
    assertRecordSize(member, this.deps.maxRecordBytes);

    list.members.set(member.id, member);
    list.membersByContactId.set(member.contact_id, member);
    if (status === "subscribed")
      this.emitter.member(accountId, list, member, "subscribe", options.source);

    return member;
  }

  private update(
    accountId: string,
    list: TAudience,
    member: TMember,
    input: TMemberInput,
    requested: TWritableStatus | undefined,
    options: TWriteOptions,
  ): TMember {
    assertKnownInterests(input.interests);
    const merges = applyMergeFields(list.mergeFields, member.merge_fields, input.merge_fields, {
      isNew: false,
      skipMergeValidation: options.skipMergeValidation ?? false,
    });
    throwMergeErrors(merges.schemaErrors, merges.errors);
    if (requested === "subscribed" && member.compliance_hold && member.status !== "subscribed") {
      throw problems.complianceState(member.email_address);
    }

    const profileChanged = JSON.stringify(merges.values) !== JSON.stringify(member.merge_fields);
    member.merge_fields = merges.values;
    if (input.email_type !== undefined) member.email_type = input.email_type;
    if (input.language !== undefined) member.language = input.language;
    if (input.vip !== undefined) member.vip = input.vip;
    if (input.ip_opt !== undefined) member.ip_opt = input.ip_opt;
    if (input.timestamp_opt !== undefined) member.timestamp_opt = input.timestamp_opt;
    assertRecordSize(member, this.deps.maxRecordBytes);

    const target =
      requested ?? (member.status === "archived" ? member.status_before_archive : undefined);
    const statusChanged =
      target !== undefined &&
      this.changeStatus(accountId, list, member, target, { source: options.source });
    if (profileChanged && !statusChanged && member.status === "subscribed") {
      this.emitter.member(accountId, list, member, "profile", options.source);
    }
    this.touch(member);

    return member;
  }

  /** A PUT or PATCH naming a member by its old hash with a new address changes the address. */
  private rename(
    accountId: string,
    list: TAudience,
    member: TMember,
    email: string,
    source: TWebhookSource,
  ): void {
    this.assertAcceptableEmail(list, email);
    const newHash = subscriberHash(email);
    const taken = list.members.get(newHash);
    if (taken !== undefined) {
      // Recorded answer 2026-10-09: field "email address", status label in the message.
      throw problems.invalidResource([
        {
          field: "email address",
          message:
            `"${email}" is already in this list ` +
            `with a status of "${statusLabel(taken.status)}".`,
        },
      ]);
    }

    const oldEmail = member.email_address;
    list.members.delete(member.id);
    member.id = newHash;
    member.email_address = email;
    list.members.set(newHash, member);
    this.touch(member);
    this.emitter.upemail(accountId, list, member, oldEmail, source);
  }

  addTag(list: TAudience, member: TMember, name: string): void {
    const existing = [...member.tags.values()].find(
      (tag) => tag.name.toLowerCase() === name.toLowerCase(),
    );
    if (existing !== undefined) return;
    list.nextTagId += 1;
    member.tags.set(name, { id: list.nextTagId, name, date_added: this.deps.clock.isoNow() });
  }

  touch(member: TMember): void {
    member.last_changed = this.deps.clock.isoNow();
    member.last_changed_ms = this.deps.clock.nowMs();
  }
}

function hashForKey(key: string): string {
  if (HASH.test(key)) return key.toLowerCase();
  if (key.includes("@")) return subscriberHash(key);

  return key;
}

function assertKnownInterests(interests: Record<string, boolean> | undefined): void {
  // The sandbox has no interest categories, so every interest id is unknown (e2e-recorded text).
  const unknown = Object.keys(interests ?? {})[0];
  if (unknown !== undefined)
    throw problems.invalidResourceDetail(`Invalid interest ID: '${unknown}'.`);
}

function throwMergeErrors(schemaErrors: TFieldError[], errors: TFieldError[]): void {
  if (schemaErrors.length > 0) throw problems.invalidResource(schemaErrors);
  if (errors.length > 0) throw problems.mergeFieldsInvalid(errors);
}

function statusLabel(status: TMemberStatus): string {
  return status === "archived" ? "Archived" : status.charAt(0).toUpperCase() + status.slice(1);
}
