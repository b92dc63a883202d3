/**
 * Mandrill message-event webhooks (reference/mailchimp-api.md §5.2 (b)): one form field,
 * `mandrill_events`, a JSON array of at most 1000 events, signed with X-Mandrill-Signature that a
 * receiver can verify from the URL it registered and the decoded POST fields.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { startWebhookReceiver, type TReceiver } from "../test-support/webhook-receiver.js";

let sandbox: SandboxHandle;
let receiver: TReceiver;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await sandbox.deliveriesSettled();
  await sandbox.close();
  await receiver.close();
});

/** What a receiver does, written from Mandrill's article rather than with the sandbox's code. */
function verify(url: string, key: string, form: Record<string, unknown>, header: string): boolean {
  const signed = Object.keys(form)
    .sort()
    .reduce((text, name) => `${text}${name}${String(form[name])}`, url);
  const expected = createHmac("sha1", key).update(signed).digest();
  const given = Buffer.from(header, "base64");

  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("Mandrill webhooks", () => {
  it("posts signed mandrill_events a receiver can verify", async () => {
    const url = `${receiver.url}/webhooks/mandrill?token=t0k3n`;
    const webhook = sandbox.addMandrillWebhook({ url, events: ["open", "click"] });
    sandbox.sendMandrillEvents([
      { event: "open", email: "buyer@great-lakes-fab.com", metadata: { plex_customer: "C-100" } },
      {
        event: "click",
        email: "buyer@great-lakes-fab.com",
        url: "https://shop.sandbox-manufacturing.com/p/1",
      },
      { event: "send", email: "buyer@great-lakes-fab.com" },
    ]);
    const [delivery] = await receiver.waitFor(1);
    const events = JSON.parse(String(delivery?.form.mandrill_events)) as Record<string, unknown>[];

    expect(delivery?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.keys(delivery?.form ?? {})).toEqual(["mandrill_events"]);
    expect(
      verify(
        url,
        webhook.auth_key,
        delivery?.form ?? {},
        String(delivery?.headers["x-mandrill-signature"]),
      ),
    ).toBe(true);
    expect(
      verify(
        url,
        "wrong-key",
        delivery?.form ?? {},
        String(delivery?.headers["x-mandrill-signature"]),
      ),
    ).toBe(false);
    expect(events.map((event) => event.event)).toEqual(["open", "click"]);
    expect(events[0]).toMatchObject({
      event: "open",
      msg: {
        email: "buyer@great-lakes-fab.com",
        metadata: { plex_customer: "C-100" },
        state: "sent",
      },
    });
    expect(typeof events[0]?.ts).toBe("number");
    expect(events[1]).toMatchObject({
      event: "click",
      url: "https://shop.sandbox-manufacturing.com/p/1",
    });
  });

  it("splits more than 1000 events into several POSTs", async () => {
    const before = receiver.requests.length;
    sandbox.addMandrillWebhook({ url: `${receiver.url}/bulk`, events: ["open"] });
    const events = Array.from({ length: 1001 }, (_, index) => ({
      event: "open" as const,
      email: `reader.${index}@great-lakes-fab.com`,
    }));
    sandbox.sendMandrillEvents(events);
    await receiver.waitFor(before + 4);
    await sandbox.deliveriesSettled();
    const bulk = receiver.requests.filter((request) => request.path === "/bulk");

    const sizes = bulk.map(
      (request) => (JSON.parse(String(request.form.mandrill_events)) as unknown[]).length,
    );

    // POSTs travel in parallel, so they may arrive in any order.
    expect(sizes.sort((a, b) => a - b)).toEqual([1, 1000]);
  });
});
