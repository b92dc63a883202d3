import { Writable } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { createLogger, maskEmail } from "./logger.js";
import { forgetSecret, registerSecret, scrubSecrets } from "./secret-scrubber.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString("utf8"));
      callback();
    },
  });
  const log = createLogger({ service: "test", level: "trace", destination });

  return { log, output: () => lines.join("") };
}

describe("logger", () => {
  const registered: string[] = [];
  afterEach(() => {
    registered.splice(0).forEach(forgetSecret);
  });

  it("writes JSON with the service field and a static message", () => {
    const { log, output } = capture();
    log.info({ connectionId: "c-1", records: 3 }, "plex window read");

    const line = JSON.parse(output()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: "info",
      service: "test",
      connectionId: "c-1",
      records: 3,
      msg: "plex window read",
    });
  });

  it("redacts credential fields wherever they sit", () => {
    const { log, output } = capture();
    log.info(
      {
        credential: { apiKey: "plex-key-abcdef123456", clientSecret: "cs-9f8e7d6c5b4a" },
        request: { headers: { authorization: "Basic dXNlcjpwYXNz" } },
        password: "hunter2-hunter2",
      },
      "connection tested",
    );

    const text = output();
    expect(text).not.toContain("plex-key-abcdef123456");
    expect(text).not.toContain("cs-9f8e7d6c5b4a");
    expect(text).not.toContain("dXNlcjpwYXNz");
    expect(text).not.toContain("hunter2-hunter2");
    expect(text).toContain("[REDACTED]");
  });

  it("scrubs a registered secret even inside an error message", () => {
    const secret = "8d3f0c2a9b7e4d1f-us21";
    registerSecret(secret);
    registered.push(secret);
    const { log, output } = capture();

    log.error({ err: new Error(`upstream said: bad key ${secret}`) }, "mailchimp call failed");

    expect(output()).not.toContain(secret);
    expect(output()).toContain("bad key [REDACTED]");
  });

  it("scrubs the JSON-escaped and URL-encoded forms of a secret", () => {
    const secret = 'p@ss"word/with+chars';
    registerSecret(secret);
    registered.push(secret);

    expect(scrubSecrets(JSON.stringify({ v: secret }))).not.toContain("word/with");
    expect(scrubSecrets(`url?key=${encodeURIComponent(secret)}`)).toBe("url?key=[REDACTED]");
  });

  it("ignores values too short to be secrets", () => {
    registerSecret("abc");

    expect(scrubSecrets("abc def")).toBe("abc def");
  });
});

describe("maskEmail", () => {
  it("keeps the first letter and the domain only", () => {
    expect(maskEmail("jane.doe@example.com")).toBe("j***@example.com");
    expect(maskEmail("not-an-email")).toBe("***");
    expect(maskEmail(undefined)).toBeUndefined();
  });
});
