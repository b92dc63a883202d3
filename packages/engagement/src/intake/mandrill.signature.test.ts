import { describe, expect, it } from "vitest";

import { parseMandrillEvents } from "./mandrill-event.schema.js";
import { mandrillSignature, verifyMandrillSignature } from "./mandrill.signature.js";
import { WebhookInputError } from "./webhook-input.error.js";

describe("X-Mandrill-Signature", () => {
  // The self-computed vector of reference mailchimp-api.md §5.2 (b).
  const url = "https://example.com/webhooks/mandrill?token=abc";
  const key = "test-webhook-key";
  const events = '[{"event":"open","ts":1384954004,"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa"}]';

  it("matches the reference's test vector", () => {
    expect(mandrillSignature(key, url, [["mandrill_events", events]])).toBe(
      "9mW/7eb8+Fq8Y3Y21agOGESTNoA=",
    );
  });

  it("sorts the fields by name and refuses any change of URL, key, value or signature", () => {
    const fields: [string, string][] = [
      ["b", "2"],
      ["a", "1"],
    ];
    const signature = mandrillSignature(key, url, fields);

    expect(signature).toBe(mandrillSignature(key, url, [...fields].reverse()));
    expect(verifyMandrillSignature(key, url, fields, signature)).toBe(true);
    expect(verifyMandrillSignature(key, `${url}/`, fields, signature)).toBe(false);
    expect(verifyMandrillSignature("other-key", url, fields, signature)).toBe(false);
    expect(
      verifyMandrillSignature(
        key,
        url,
        [
          ["a", "1"],
          ["b", "3"],
        ],
        signature,
      ),
    ).toBe(false);
    expect(verifyMandrillSignature(key, url, fields, signature.slice(0, -2))).toBe(false);
    expect(verifyMandrillSignature(key, url, fields, undefined)).toBe(false);
  });
});

describe("mandrill_events", () => {
  it("accepts message and sync events and refuses anything else with 400", () => {
    expect(parseMandrillEvents(JSON.stringify([{ event: "open", ts: 1, msg: {} }]))).toHaveLength(
      1,
    );
    expect(
      parseMandrillEvents(JSON.stringify([{ type: "blacklist", action: "add" }])),
    ).toHaveLength(1);

    for (const bad of [
      "{",
      "{}",
      "[1]",
      '[{"ts":1}]',
      '[{"event":"open","ts":"x"}]',
      '[{"event":"\\u0000","ts":1}]',
    ]) {
      expect(() => parseMandrillEvents(bad)).toThrow(WebhookInputError);
    }
    const tooMany = JSON.stringify(Array.from({ length: 1_001 }, () => ({ event: "open", ts: 1 })));
    expect(() => parseMandrillEvents(tooMany)).toThrow(/more than 1000/);
  });
});
