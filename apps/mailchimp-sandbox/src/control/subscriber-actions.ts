/**
 * What subscribers and admins do outside the API, simulated for tests: sign up, confirm a double
 * opt-in, unsubscribe (with a reason), edit their profile, change their address, get cleaned.
 * Each fires the list webhook with its source ("user" or "admin"), as Mailchimp would; a
 * subscriber signing up again leaves compliance state, which an API call cannot do.
 */
import { z } from "zod";

import { problems } from "../http/api-problem.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TAccount } from "../state/account.model.js";
import type { TAudience, TMember } from "../state/audience.model.js";

export const ZSubscriberAction = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("subscribe"),
    email: z.string(),
    mergeFields: z.record(z.string(), z.unknown()).optional(),
    source: z.enum(["user", "admin"]).default("user"),
  }),
  z.object({ action: z.literal("confirm"), email: z.string() }),
  z.object({
    action: z.literal("unsubscribe"),
    email: z.string(),
    reason: z.string().default("manual"),
    campaignId: z.string().optional(),
    source: z.enum(["user", "admin"]).default("user"),
  }),
  z.object({
    action: z.literal("profile"),
    email: z.string(),
    mergeFields: z.record(z.string(), z.unknown()),
    source: z.enum(["user", "admin"]).default("user"),
  }),
  z.object({
    action: z.literal("upemail"),
    email: z.string(),
    newEmail: z.string(),
    source: z.enum(["user", "admin"]).default("user"),
  }),
  z.object({
    action: z.literal("cleaned"),
    email: z.string(),
    reason: z.enum(["hard", "abuse"]).default("hard"),
    campaignId: z.string().optional(),
  }),
]);
export type TSubscriberAction = z.input<typeof ZSubscriberAction>;

export function applySubscriberAction(
  ctx: SandboxContext,
  account: TAccount,
  list: TAudience,
  input: TSubscriberAction,
): TMember {
  const action = ZSubscriberAction.parse(input);
  const { members } = ctx;

  switch (action.action) {
    case "subscribe": {
      const existing = members.find(list, action.email);
      if (existing === undefined || existing.status === "archived") {
        return members.upsert(
          account.id,
          list,
          action.email,
          {
            email_address: action.email,
            status_if_new: "subscribed",
            merge_fields: action.mergeFields ?? {},
          },
          {
            source: action.source,
            skipMergeValidation: true,
            sourceLabel: action.source === "user" ? "Hosted Signup Form" : "Admin Add",
          },
        );
      }
      // The contact's own signup is consent again; an admin cannot override an unsubscribe.
      if (action.source === "user") existing.compliance_hold = false;
      members.changeStatus(account.id, list, existing, "subscribed", { source: action.source });
      return existing;
    }
    case "confirm": {
      const member = members.require(list, action.email);
      if (member.status !== "pending")
        throw problems.invalidResourceDetail("The member is not pending.");
      member.compliance_hold = false;
      members.changeStatus(account.id, list, member, "subscribed", { source: "user" });
      return member;
    }
    case "unsubscribe": {
      const member = members.require(list, action.email);
      members.changeStatus(account.id, list, member, "unsubscribed", {
        source: action.source,
        reason: action.reason,
        campaignId: action.campaignId,
      });
      return member;
    }
    case "profile":
      return members.patch(
        account.id,
        list,
        action.email,
        { merge_fields: action.mergeFields },
        {
          source: action.source,
          skipMergeValidation: true,
        },
      );
    case "upemail":
      return members.patch(
        account.id,
        list,
        action.email,
        { email_address: action.newEmail },
        {
          source: action.source,
        },
      );
    case "cleaned": {
      const member = members.require(list, action.email);
      members.changeStatus(account.id, list, member, "cleaned", {
        source: "user",
        reason: action.reason,
        campaignId: action.campaignId,
      });
      return member;
    }
  }
}
