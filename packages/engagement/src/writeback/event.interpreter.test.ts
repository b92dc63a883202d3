import { describe, expect, it } from "vitest";

import { mergeComments } from "./activity.store.js";
import { interpretInboxRow, type TInboxRow } from "./event.interpreter.js";

function row(payload: unknown, overrides: Partial<TInboxRow> = {}): TInboxRow {
  return {
    id: "42",
    connectionId: "c-1",
    source: "mailchimp",
    contentKey: "k".repeat(64),
    eventType: "unsubscribe",
    firedAt: new Date("2026-12-03T10:15:00Z"),
    receivedAt: new Date("2026-12-03T10:15:01Z"),
    payload,
    ...overrides,
  };
}

describe("interpreting stored deliveries", () => {
  it("gives an unsubscribe its own activity with the reason and campaign, found by e-mail or phone", () => {
    const plan = interpretInboxRow(
      row({
        type: "unsubscribe",
        fired_at: "2026-12-03 10:15:00",
        data: {
          action: "unsub",
          reason: "manual",
          list_id: "l1",
          email: "Buyer@Acme.com",
          campaign_id: "cb398d21d2",
          merges: { PHONE: "(313) 555-0142" },
        },
      }),
    );

    expect(plan.action).toBe("interaction");
    if (plan.action !== "interaction") return;
    expect(plan.lookup).toEqual({
      email: "Buyer@Acme.com",
      phone: { value: "(313) 555-0142", country: undefined },
    });
    expect(plan.draft.kind).toBe("subscription");
    expect(plan.draft.activityBase).toBe("list:42");
    expect(plan.draft.name).toBe("Mailchimp: unsubscribed 2026-12-03 10:15 UTC [#42]");
    expect(plan.draft.line).toBe(
      "2026-12-03 10:15 UTC Buyer@Acme.com unsubscribed, reason: manual, from campaign cb398d21d2",
    );
  });

  it("moves the link on upemail and starts report collection on a sent campaign only", () => {
    const upemail = interpretInboxRow(
      row({
        type: "upemail",
        fired_at: "2026-12-03 10:15:00",
        data: { list_id: "l1", new_email: "new@acme.com", old_email: "old@acme.com" },
      }),
    );
    expect(upemail.action === "interaction" && upemail.relink).toEqual({
      oldEmail: "old@acme.com",
      newEmail: "new@acme.com",
    });

    const campaign = (status: string) =>
      interpretInboxRow(
        row({
          type: "campaign",
          fired_at: "2026-12-03 10:15:00",
          data: { id: "5aa2102003", subject: "Winter", status, list_id: "l1" },
        }),
      );
    expect(campaign("sent")).toEqual({
      action: "campaign-sent",
      campaignId: "5aa2102003",
      subject: "Winter",
      listId: "l1",
    });
    expect(campaign("cancelled").action).toBe("skip");
  });

  it("aggregates Mandrill events per message and prefers the Plex customer in the metadata", () => {
    const plan = interpretInboxRow(
      row(
        {
          event: "click",
          ts: 1_700_000_000,
          url: "https://example.com/x",
          msg: {
            _id: "abc123def456xyz",
            email: "a@acme.com",
            subject: "Shipped",
            metadata: { plex_customer_code: "ACME01" },
          },
        },
        { source: "mandrill", eventType: "click" },
      ),
    );

    expect(plan.action === "interaction" && plan.lookup.plexCustomerCode).toBe("ACME01");
    expect(plan.action === "interaction" && plan.draft.activityBase).toBe(
      "mandrill:abc123def456xyz",
    );
    expect(plan.action === "interaction" && plan.draft.line).toContain(
      "clicked by a@acme.com (https://example.com/x)",
    );
  });
});

describe("comments under replace semantics", () => {
  it("keeps every earlier comment, adds new ones once, and summarises beyond the cap", () => {
    expect(mergeComments(["a", "b"], ["b", "c"], 10)).toEqual(["a", "b", "c"]);
    const capped = mergeComments(["a", "b", "c"], ["d", "e"], 3);
    expect(capped).toEqual(["(3 earlier events not shown)", "d", "e"]);
    expect(mergeComments(capped, ["f"], 3)).toEqual(["(4 earlier events not shown)", "e", "f"]);
  });
});
