/**
 * What a stored webhook delivery means for Plex, without any I/O: which member it is about (to be
 * resolved to a Plex customer), which activity it belongs to and the comment line it adds, or that
 * a campaign was sent (which starts report collection), or that it has no effect. Subscription
 * changes and cleaned addresses get an activity of their own; Mandrill events are aggregated per
 * message; campaign opens and clicks come from reports (campaign-report.collector.ts).
 */
import { contentHash } from "@ml-connector/mappers";

import { ZListEvent, type TListEvent } from "../intake/mailchimp-event.schema.js";
import { ZMandrillMessageEvent } from "../intake/mandrill-event.schema.js";
import {
  activityName,
  commentLine,
  describeActivity,
  stamp,
  type TActivityKind,
} from "./activity.format.js";

export type TInboxRow = {
  id: string;
  connectionId: string;
  source: string;
  contentKey: string;
  eventType: string;
  firedAt: Date | null;
  receivedAt: Date;
  payload: unknown;
};

/** How to find the Plex customer: e-mail first, then phone (merge field), or Plex ids sent along. */
export type TMemberLookup = {
  email?: string;
  phone?: { value: string; country?: string };
  plexCustomerCode?: string;
  plexCustomerId?: string;
};

export type TInteractionDraft = {
  interactionKey: string;
  /** The activity, without the customer part of its key. */
  activityBase: string;
  kind: TActivityKind;
  name: string;
  description: string;
  occurredAt: Date;
  line: string;
};

export type TEventPlan =
  | {
      action: "interaction";
      lookup: TMemberLookup;
      draft: TInteractionDraft;
      /** upemail: the identity link moves to the new address. */
      relink?: { oldEmail: string; newEmail: string };
    }
  | { action: "campaign-sent"; campaignId: string; subject?: string; listId: string }
  | { action: "skip"; reason: string };

export function interpretInboxRow(row: TInboxRow): TEventPlan {
  if (row.source === "mailchimp") return interpretListEvent(row, ZListEvent.parse(row.payload));
  if (row.source === "mandrill") return interpretMandrillEvent(row);

  return { action: "skip", reason: `unknown source ${row.source}` };
}

function phoneOf(merges: Record<string, unknown> | undefined) {
  const phone = merges?.PHONE;
  if (typeof phone !== "string" || phone.trim() === "") return undefined;
  const address = merges?.ADDRESS;
  const country =
    typeof address === "object" && address !== null
      ? (address as Record<string, unknown>).country
      : undefined;

  return { value: phone, country: typeof country === "string" ? country : undefined };
}

function fullName(merges: Record<string, unknown> | undefined): string {
  const parts = [merges?.FNAME, merges?.LNAME].filter(
    (part): part is string => typeof part === "string" && part.trim() !== "",
  );

  return parts.length === 0 ? "" : ` (${parts.join(" ")})`;
}

function listDraft(row: TInboxRow, at: Date, title: string, text: string): TInteractionDraft {
  return {
    interactionKey: contentHash(["list", row.contentKey]),
    activityBase: `list:${row.id}`,
    kind: "subscription",
    name: activityName(`Mailchimp: ${title} ${stamp(at)}`, `#${row.id}`),
    description: describeActivity("subscription"),
    occurredAt: at,
    line: commentLine(at, text),
  };
}

function interpretListEvent(row: TInboxRow, event: TListEvent): TEventPlan {
  const at = row.firedAt ?? row.receivedAt;

  switch (event.type) {
    case "subscribe": {
      const data = event.data;
      const text = `subscribed ${data.email}${fullName(data.merges)} to the Mailchimp audience`;

      return {
        action: "interaction",
        lookup: { email: data.email, phone: phoneOf(data.merges) },
        draft: listDraft(row, at, "subscribed", text),
      };
    }
    case "unsubscribe": {
      const data = event.data;
      const removed = data.action === "delete" ? " and was removed from the audience" : "";
      const reason =
        data.reason === undefined || data.reason === "" ? "" : `, reason: ${data.reason}`;
      const campaign = data.campaign_id === undefined ? "" : `, from campaign ${data.campaign_id}`;
      const text = `${data.email} unsubscribed${removed}${reason}${campaign}`;

      return {
        action: "interaction",
        lookup: { email: data.email, phone: phoneOf(data.merges) },
        draft: listDraft(row, at, "unsubscribed", text),
      };
    }
    case "profile": {
      const data = event.data;
      const fields = Object.entries(data.merges ?? {})
        .filter(([tag]) => tag !== "EMAIL")
        .map(([tag, value]) =>
          typeof value === "string"
            ? `${tag}=${value}`
            : `${tag}=${Object.values(value).join(", ")}`,
        )
        .join("; ");
      const text = `${data.email} updated their Mailchimp profile${fields === "" ? "" : `: ${fields}`}`;

      return {
        action: "interaction",
        lookup: { email: data.email, phone: phoneOf(data.merges) },
        draft: listDraft(row, at, "profile updated", text),
      };
    }
    case "cleaned": {
      const data = event.data;
      const why = data.reason === "hard" ? "hard bounce" : (data.reason ?? "unknown reason");
      const campaign =
        data.campaign_id === undefined || data.campaign_id === ""
          ? ""
          : `, campaign ${data.campaign_id}`;
      const text = `address ${data.email} was cleaned from the audience (${why}${campaign}); Mailchimp will not mail it again`;

      return {
        action: "interaction",
        lookup: { email: data.email },
        draft: listDraft(row, at, "address cleaned", text),
      };
    }
    case "upemail": {
      const data = event.data;
      const text = `e-mail address changed in Mailchimp from ${data.old_email} to ${data.new_email}; the Plex record may still hold the old address`;

      return {
        action: "interaction",
        // The link may already have moved (a replay): the resolver tries the new address too.
        lookup: { email: data.old_email },
        draft: listDraft(row, at, "e-mail address changed", text),
        relink: { oldEmail: data.old_email, newEmail: data.new_email },
      };
    }
    case "campaign": {
      const data = event.data;
      if (data.status !== "sent") {
        return { action: "skip", reason: `campaign ${data.id} ${data.status}, nothing to collect` };
      }

      return {
        action: "campaign-sent",
        campaignId: data.id,
        subject: data.subject,
        listId: data.list_id,
      };
    }
  }
}

const MANDRILL_VERBS: Record<string, string> = {
  send: "sent to",
  deferral: "delivery deferred for",
  hard_bounce: "hard bounce from",
  soft_bounce: "soft bounce from",
  open: "opened by",
  click: "clicked by",
  spam: "marked as spam by",
  unsub: "unsubscribe from",
  reject: "rejected for",
};

function metadataText(metadata: Record<string, unknown> | null | undefined, ...names: string[]) {
  for (const name of names) {
    const value = metadata?.[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (typeof value === "number") return String(value);
  }

  return undefined;
}

function interpretMandrillEvent(row: TInboxRow): TEventPlan {
  const parsed = ZMandrillMessageEvent.safeParse(row.payload);
  if (!parsed.success)
    return { action: "skip", reason: `Mandrill ${row.eventType} event, not a message event` };
  const event = parsed.data;
  const message = event.msg;
  const email = message?.email;
  const messageId = message?._id ?? event._id;
  if (email === undefined || messageId === undefined) {
    return { action: "skip", reason: "Mandrill event without a recipient or message id" };
  }
  const at = new Date(event.ts * 1_000);
  const verb = MANDRILL_VERBS[event.event] ?? `${event.event} for`;
  const url = event.event === "click" && typeof event.url === "string" ? ` (${event.url})` : "";
  const subject = message?.subject ?? "(no subject)";

  return {
    action: "interaction",
    // The sender may put the Plex customer into the message metadata (reference §5.2 (b)).
    lookup: {
      email,
      plexCustomerCode: metadataText(message?.metadata, "plex_customer_code", "plexCustomerCode"),
      plexCustomerId: metadataText(message?.metadata, "plex_customer_id", "plexCustomerId"),
    },
    draft: {
      interactionKey: contentHash(["mandrill", row.contentKey]),
      activityBase: `mandrill:${messageId}`,
      kind: "transactional",
      name: activityName(`Transactional e-mail: ${subject}`, `md ${messageId.slice(0, 12)}`),
      description: describeActivity("transactional"),
      occurredAt: at,
      line: commentLine(at, `${verb} ${email}${url}`),
    },
  };
}
