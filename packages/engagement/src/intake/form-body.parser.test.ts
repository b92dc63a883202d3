import { describe, expect, it } from "vitest";

import { decodeFormPairs, parseNestedForm } from "./form-body.parser.js";
import { checkListEvent, firedAtDate } from "./mailchimp-event.schema.js";
import { WebhookInputError } from "./webhook-input.error.js";

/** The subscribe sample of reference mailchimp-api.md §5.1, with a nested address. */
const SUBSCRIBE = [
  "type=subscribe",
  "fired_at=2009-03-26+21%3A35%3A57",
  "data%5Bid%5D=8a25ff1d98",
  "data%5Blist_id%5D=a6b5da1054",
  "data%5Bemail%5D=api%40mailchimp.com",
  "data%5Bemail_type%5D=html",
  "data%5Bmerges%5D%5BEMAIL%5D=api%40mailchimp.com",
  "data%5Bmerges%5D%5BFNAME%5D=Mailchimp",
  "data%5Bmerges%5D%5BLNAME%5D=API",
  "data%5Bmerges%5D%5BADDRESS%5D%5Baddr1%5D=1+Main+St",
  "data%5Bmerges%5D%5BADDRESS%5D%5Bcity%5D=Detroit",
  "data%5Bip_opt%5D=10.20.10.30",
].join("&");

function statusOf(work: () => unknown): number | undefined {
  try {
    work();

    return undefined;
  } catch (err) {
    return err instanceof WebhookInputError ? err.status : -1;
  }
}

describe("webhook form bodies", () => {
  it("parses PHP-style nested keys, merges and addresses included", () => {
    const form = parseNestedForm(SUBSCRIBE);
    const check = checkListEvent(form.tree);

    expect(check.outcome).toBe("event");
    if (check.outcome !== "event" || check.event.type !== "subscribe") throw new Error("type");
    expect(check.event.data.email).toBe("api@mailchimp.com");
    expect(check.event.data.merges).toEqual({
      EMAIL: "api@mailchimp.com",
      FNAME: "Mailchimp",
      LNAME: "API",
      ADDRESS: { addr1: "1 Main St", city: "Detroit" },
    });
    expect(check.firedAt.toISOString()).toBe("2009-03-26T21:35:57.000Z");
  });

  it("refuses broken percent-encodings, NUL bytes and lone surrogates with 400", () => {
    expect(statusOf(() => decodeFormPairs("type=%E0%A4%A"))).toBe(400);
    expect(statusOf(() => decodeFormPairs("type=%ZZ"))).toBe(400);
    expect(statusOf(() => decodeFormPairs("type=a%00b"))).toBe(400);
    expect(statusOf(() => decodeFormPairs("type=%ED%A0%80"))).toBe(400);
    expect(statusOf(() => decodeFormPairs("=value"))).toBe(400);
  });

  it("refuses nesting deeper than the limit and too many fields instead of flattening them", () => {
    expect(statusOf(() => parseNestedForm("data[a][b][c][d][e]=1"))).toBe(400);
    const many = Array.from({ length: 301 }, (_, index) => `f${index}=1`).join("&");
    expect(statusOf(() => parseNestedForm(many))).toBe(400);
  });

  it("refuses prototype names, arrays and names that are both a value and a group", () => {
    expect(statusOf(() => parseNestedForm("__proto__[polluted]=1"))).toBe(400);
    expect(statusOf(() => parseNestedForm("data[constructor][prototype][x]=1"))).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(statusOf(() => parseNestedForm("data[tags][]=a"))).toBe(400);
    expect(statusOf(() => parseNestedForm("data[merges]=x&data[merges][FNAME]=y"))).toBe(400);
    expect(statusOf(() => parseNestedForm("data[a]b=1"))).toBe(400);
  });

  it("refuses a repeated field, a missing e-mail and an unknown type with 400", () => {
    expect(statusOf(() => parseNestedForm(`${SUBSCRIBE}&data[email]=other@example.com`))).toBe(400);
    const noEmail = parseNestedForm(SUBSCRIBE.replace("data%5Bemail%5D=api%40mailchimp.com&", ""));
    expect(statusOf(() => checkListEvent(noEmail.tree))).toBe(400);
    expect(statusOf(() => checkListEvent(parseNestedForm("type=bogus&fired_at=x").tree))).toBe(400);
  });

  it("acknowledges the documented SMS event types without storing them", () => {
    const check = checkListEvent(
      parseNestedForm("type=sms_subscribe&fired_at=2026-01-01+00:00:00").tree,
    );

    expect(check).toEqual({ outcome: "ignored", type: "sms_subscribe" });
  });

  it("reads fired_at only in Mailchimp's format and only when the date exists", () => {
    expect(firedAtDate("2026-12-03 10:15:02")?.toISOString()).toBe("2026-12-03T10:15:02.000Z");
    expect(firedAtDate("2026-02-30 10:15:02")).toBeUndefined();
    expect(firedAtDate("2026-12-03T10:15:02Z")).toBeUndefined();
  });
});
