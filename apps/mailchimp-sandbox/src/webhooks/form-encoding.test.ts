import { describe, expect, it } from "vitest";

import { encodeWebhookForm } from "./form-encoding.js";

describe("encodeWebhookForm", () => {
  it("writes type, fired_at and nested data[...] keys in order", () => {
    const body = encodeWebhookForm("subscribe", "2009-03-26 21:35:57", {
      id: "8a25ff1d98",
      merges: { FNAME: "Mailchimp", ADDRESS: { addr1: "1 Main" } },
    });

    expect(decodeURIComponent(body.replace(/\+/g, " "))).toBe(
      "type=subscribe&fired_at=2009-03-26 21:35:57&data[id]=8a25ff1d98" +
        "&data[merges][FNAME]=Mailchimp" +
        "&data[merges][ADDRESS][addr1]=1 Main",
    );
  });
});
