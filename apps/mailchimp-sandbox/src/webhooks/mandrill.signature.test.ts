import { describe, expect, it } from "vitest";

import { mandrillSignature } from "./mandrill.signature.js";

describe("mandrillSignature", () => {
  it("matches the reference test vector (reference/mailchimp-api.md §5.2 (b))", () => {
    const events = '[{"event":"open","ts":1384954004,"_id":"exampleaaaaaaaaaaaaaaaaaaaaaaaaa"}]';

    expect(
      mandrillSignature("test-webhook-key", "https://example.com/webhooks/mandrill?token=abc", {
        mandrill_events: events,
      }),
    ).toBe("9mW/7eb8+Fq8Y3Y21agOGESTNoA=");
  });

  it("signs the fields sorted by name, each name followed by its value", () => {
    const sorted = mandrillSignature("k", "https://h/p", { b: "2", a: "1" });
    const same = mandrillSignature("k", "https://h/p", { a: "1", b: "2" });
    const other = mandrillSignature("k", "https://h/p", { a: "2", b: "1" });

    expect(sorted).toBe(same);
    expect(sorted).not.toBe(other);
  });
});
