import { describe, expect, it } from "vitest";

import { credentialHint } from "./credential-hint.js";
import {
  CREDENTIAL_KINDS,
  parseCredentialPayload,
  secretValuesOf,
  type TCredentialKind,
} from "./credential-kinds.schema.js";
import { ALL_KINDS, samplePayloads, secretsOf } from "./test-support/vault.fixtures.js";
import { VaultError } from "./vault.errors.js";

function invalidPayloadMessage(kind: TCredentialKind, payload: unknown): string {
  try {
    parseCredentialPayload(kind, payload, "conn-1");
  } catch (err) {
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe("VAULT_INVALID_PAYLOAD");

    return (err as VaultError).message;
  }
  throw new Error("expected VAULT_INVALID_PAYLOAD");
}

describe("credential payload schemas", () => {
  it("covers the eight kinds of both sides", () => {
    expect([...CREDENTIAL_KINDS].sort()).toEqual([...ALL_KINDS].sort());
    expect(CREDENTIAL_KINDS).toHaveLength(8);
  });

  it.each(ALL_KINDS)("accepts a well-formed %s payload as is", (kind) => {
    const payload = samplePayloads()[kind];

    expect(parseCredentialPayload(kind, payload)).toEqual(payload);
  });

  it("lists every secret field of a payload for the log scrubber", () => {
    const payloads = samplePayloads();
    const listed = ALL_KINDS.flatMap((kind) => secretValuesOf(kind, payloads[kind]));

    expect(listed.sort()).toEqual(secretsOf(payloads).sort());
  });

  it("names the broken fields without quoting the values", () => {
    const clientSecret = "cs-do-not-print-0123456789";
    const message = invalidPayloadMessage("plex_oauth_client", {
      clientId: "",
      clientSecret: ` ${clientSecret}`,
      tokenUrl: `ftp://x/${clientSecret}`,
      extra: clientSecret,
    });

    expect(message).toContain("invalid plex_oauth_client credential for connection conn-1");
    expect(message).toContain("clientId: required");
    expect(message).toContain("clientSecret: must not contain whitespace");
    expect(message).toContain("tokenUrl: must be an http(s) URL");
    expect(message).toContain('"extra"');
    expect(message).not.toContain(clientSecret);
  });

  it("requires the data center suffix on a Mailchimp API key", () => {
    const apiKey = "0123456789abcdef0123456789abcdef";

    const message = invalidPayloadMessage("mailchimp_api_key", { apiKey });

    expect(message).toContain("apiKey: must end with its data center, e.g. -us21");
    expect(message).not.toContain(apiKey);
  });

  it("rejects a missing password, a malformed PCN and a short webhook secret", () => {
    expect(invalidPayloadMessage("plex_soap_basic", { username: "ws", pcn: "79870" })).toContain(
      "password: Invalid input",
    );
    expect(
      invalidPayloadMessage("plex_ux_basic", { username: "ux", password: "p", pcn: "acme corp" }),
    ).toContain("pcn: must be a PCN number or PCN code");
    expect(invalidPayloadMessage("plex_api_key", { apiKey: "k0123456789", pcn: "acme" })).toContain(
      "pcn: must be the numeric Plex Customer Number",
    );
    expect(invalidPayloadMessage("webhook_secret", { secret: "short-one" })).toContain(
      "at least 16 characters",
    );
  });

  it("rejects a payload that is not an object", () => {
    expect(invalidPayloadMessage("mandrill_webhook_key", "mk-raw-string-key")).toContain(
      "(payload): Invalid input",
    );
  });
});

describe("credential hints", () => {
  it("shows the last four characters of a long key and nothing else of it", () => {
    const apiKey = "pk0123456789abcdefa1f3";

    expect(credentialHint("plex_api_key", { apiKey })).toBe("…a1f3");
  });

  it("keeps the Mailchimp data center and hints the key part", () => {
    const apiKey = "0123456789abcdef0123456789ab77c1-us21";

    expect(credentialHint("mailchimp_api_key", { apiKey })).toBe("…77c1-us21");
  });

  it("shows nothing of a short secret", () => {
    expect(credentialHint("mandrill_webhook_key", { key: "short-key" })).toBe("…");
  });

  it("hints Basic-auth credentials by user and PCN, never by password", () => {
    const payload = { username: "mlc.ux", password: "Ux#0123456789abcdef", pcn: "79870" };

    const hint = credentialHint("plex_ux_basic", payload);

    expect(hint).toBe("mlc.ux@79870");
    expect(hint).not.toContain("cdef");
  });

  it.each(ALL_KINDS)("never contains a secret of %s", (kind) => {
    const payloads = samplePayloads();
    const hint = credentialHint(kind, payloads[kind]);

    // At most four characters of a secret may show: no five-character run of it is in the hint.
    // A Mailchimp key's "-us21" suffix is its (public) data center, not part of the secret.
    for (const value of secretsOf({ [kind]: payloads[kind] })) {
      const secret = kind === "mailchimp_api_key" ? value.replace(/-[a-z]+\d+$/, "") : value;
      for (let start = 0; start + 5 <= secret.length; start += 1) {
        expect(hint).not.toContain(secret.slice(start, start + 5));
      }
    }
  });
});
