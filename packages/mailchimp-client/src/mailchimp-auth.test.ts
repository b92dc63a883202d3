import { describe, expect, it } from "vitest";

import {
  MailchimpConfigError,
  accountIdentity,
  authorizationHeader,
  dataCenterFromApiKey,
  subscriberHash,
} from "./mailchimp-auth.js";

describe("Mailchimp auth", () => {
  it("takes the data center from the key's suffix", () => {
    expect(dataCenterFromApiKey("0123456789abcdef0123456789abcdef-us21")).toBe("us21");
  });

  it("refuses a key without a data center, saying what to do", () => {
    expect(() => dataCenterFromApiKey("0123456789abcdef0123456789abcdef")).toThrow(
      MailchimpConfigError,
    );
    expect(() => dataCenterFromApiKey("abc-")).toThrow(/should end like -us21/);
  });

  it("sends the key as a Basic password and an OAuth token as Bearer", () => {
    const basic = authorizationHeader({ scheme: "api_key", apiKey: "k-us1" });
    const decoded = Buffer.from(basic.slice("Basic ".length), "base64").toString();

    expect(decoded.endsWith(":k-us1")).toBe(true);
    expect(authorizationHeader({ scheme: "oauth", accessToken: "t", dc: "us1" })).toBe("Bearer t");
  });

  it("identifies an account without exposing its key", () => {
    const identity = accountIdentity({ scheme: "api_key", apiKey: "secret-key-us1" });

    expect(identity).toMatch(/^[0-9a-f]{64}$/);
    expect(identity).not.toContain("secret");
  });

  it("hashes the lower-cased, trimmed address (Mailchimp's member id)", () => {
    expect(subscriberHash(" Jane.Doe@Example.COM ")).toBe(subscriberHash("jane.doe@example.com"));
    // Reference value computed independently (Python hashlib.md5).
    expect(subscriberHash("api@mailchimp.com")).toBe("6def22f266be37015519943ce0c3ae6b");
  });
});
