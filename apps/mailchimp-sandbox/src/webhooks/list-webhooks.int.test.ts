/**
 * List webhooks as Mailchimp sends them (reference/mailchimp-api.md §5.1,
 * reliability-practice.md §1): the validation GET at registration, form-encoded deliveries with
 * PHP-style keys and `fired_at` as "YYYY-MM-DD HH:MM:SS", the `events` and `sources` filters,
 * retries on failure or timeout, and 410 disabling the webhook.
 */
import type { AxiosInstance } from "axios";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";
import { startWebhookReceiver, type TReceiver } from "../test-support/webhook-receiver.js";

let sandbox: SandboxHandle;
let api: AxiosInstance;
let receiver: TReceiver;
let accountId: string;
let listId: string;

const FIRED_AT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({
    latency: { perRequestMs: 0, perBatchMemberMs: 0 },
    webhooks: { retryScheduleMs: [20, 40, 80], timeoutMs: 300 },
  });
  api = apiClient(sandbox);
  accountId = sandbox.defaults?.accountId ?? "";
});

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  listId = sandbox.createList(accountId, { name: "Webhooks" }).id;
});

afterEach(async () => {
  await sandbox.deliveriesSettled();
  await receiver.close();
});

afterAll(async () => {
  await sandbox.close();
});

async function register(path: string, body: Record<string, unknown> = {}) {
  return api.post(`/lists/${listId}/webhooks`, {
    url: `${receiver.url}${path}`,
    events: {
      subscribe: true,
      unsubscribe: true,
      profile: true,
      cleaned: true,
      upemail: true,
      campaign: true,
    },
    sources: { user: true, admin: true, api: false },
    ...body,
  });
}

describe("registration", () => {
  it("sends a validation GET first, as the MailChimp.com WebHook Validator", async () => {
    const response = await register("/hooks/mailchimp?secret=s3cr3t");

    expect(response.status).toBe(200);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({
      method: "GET",
      path: "/hooks/mailchimp",
      rawBody: "",
    });
    expect(receiver.requests[0]?.headers["user-agent"]).toBe("MailChimp.com WebHook Validator");
  });

  it("fails like Mailchimp when the URL does not answer 2xx", async () => {
    receiver.respondWith(404);
    const refused = await register("/wrong-path");
    const unreachable = await api.post(`/lists/${listId}/webhooks`, {
      url: "http://127.0.0.1:9/hook",
    });

    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({
      title: "Invalid Resource",
      detail:
        "We couldn't verify the URL is working. Please double check and try again. HTTP Code: 404",
    });
    expect(unreachable.status).toBe(400);
    expect((await api.get(`/lists/${listId}/webhooks`)).data).toMatchObject({ total_items: 0 });
  });

  it("refuses a second webhook with the same URL, even with another query string", async () => {
    await register("/hook?a=1");
    const second = await register("/hook?a=2");

    expect(second.status).toBe(400);
  });
});

describe("deliveries", () => {
  it("posts form-encoded PHP-style keys with type and fired_at", async () => {
    await register("/hook");
    const email = "ruth.baker@cedar-valves.com";
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email,
      mergeFields: {
        FNAME: "Ruth",
        LNAME: "Baker",
        ADDRESS: { addr1: "1 Elm", city: "Erie", state: "PA", zip: "16501" },
      },
    });
    const [, delivery] = await receiver.waitFor(2);

    expect(delivery?.method).toBe("POST");
    expect(delivery?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(delivery?.headers["user-agent"]).toBe("MailChimp.com");
    expect(delivery?.rawBody).toMatch(
      /^type=subscribe&fired_at=\d{4}-\d{2}-\d{2}\+\d{2}%3A\d{2}%3A\d{2}&data%5Bid%5D=/,
    );
    expect(delivery?.form).toMatchObject({
      type: "subscribe",
      data: {
        list_id: listId,
        email,
        email_type: "html",
        merges: {
          EMAIL: email,
          FNAME: "Ruth",
          LNAME: "Baker",
          ADDRESS: { addr1: "1 Elm", city: "Erie", state: "PA", zip: "16501", country: "US" },
        },
      },
    });
    expect((delivery?.form as { fired_at: string }).fired_at).toMatch(FIRED_AT);
  });

  it("sends unsubscribe with action and reason, upemail, profile and cleaned", async () => {
    await register("/hook");
    const email = "ivan.petrov@cedar-valves.com";
    sandbox.subscriberAction(accountId, listId, { action: "subscribe", email });
    sandbox.subscriberAction(accountId, listId, {
      action: "profile",
      email,
      mergeFields: { FNAME: "Ivan" },
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "upemail",
      email,
      newEmail: "i.petrov@cedar-valves.com",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "unsubscribe",
      email: "i.petrov@cedar-valves.com",
      reason: "abuse",
      campaignId: "cb398d21d2",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "x.y@cedar-valves.com",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "cleaned",
      email: "x.y@cedar-valves.com",
      reason: "hard",
    });
    const requests = await receiver.waitFor(7);
    const byType = new Map(
      requests.slice(1).map((request) => [request.form.type as string, request.form]),
    );

    expect([...byType.keys()].sort()).toEqual([
      "cleaned",
      "profile",
      "subscribe",
      "unsubscribe",
      "upemail",
    ]);
    expect(byType.get("profile")).toMatchObject({ data: { email, merges: { FNAME: "Ivan" } } });
    expect(byType.get("upemail")).toMatchObject({
      data: { list_id: listId, old_email: email, new_email: "i.petrov@cedar-valves.com" },
    });
    expect(byType.get("unsubscribe")).toMatchObject({
      data: {
        action: "unsub",
        reason: "abuse",
        campaign_id: "cb398d21d2",
        email: "i.petrov@cedar-valves.com",
      },
    });
    expect(byType.get("cleaned")).toMatchObject({
      data: { reason: "hard", email: "x.y@cedar-valves.com" },
    });
  });

  it("respects the sources and events flags", async () => {
    await register("/hook", {
      events: { subscribe: true },
      sources: { user: true, admin: false, api: false },
    });
    await api.put(`/lists/${listId}/members/from.api@cedar-valves.com`, {
      email_address: "from.api@cedar-valves.com",
      status_if_new: "subscribed",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "by.admin@cedar-valves.com",
      source: "admin",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "unsubscribe",
      email: "from.api@cedar-valves.com",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "by.user@cedar-valves.com",
    });
    await receiver.waitFor(2);
    await sandbox.deliveriesSettled();

    expect(
      receiver.requests.slice(1).map((request) => (request.form.data as { email: string }).email),
    ).toEqual(["by.user@cedar-valves.com"]);
  });

  it("retries a failed delivery on the schedule until it succeeds", async () => {
    await register("/hook");
    receiver.respondWith((_request, index) => (index >= 1 && index <= 2 ? 503 : 200));
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "retry.me@cedar-valves.com",
    });
    const requests = await receiver.waitFor(4);
    await sandbox.deliveriesSettled();
    const delivery = sandbox.listWebhookDeliveries().at(-1);

    expect(requests.slice(1).map((request) => request.rawBody)).toEqual(
      Array(3).fill(requests[1]?.rawBody),
    );
    expect(delivery?.state).toBe("delivered");
    expect(delivery?.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
  });

  it("retries a delivery that does not answer within the timeout, then gives up", async () => {
    await register("/hook");
    receiver.delayMs(1_000);
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "slow.site@cedar-valves.com",
    });
    await receiver.waitFor(5);
    const deadline = Date.now() + 5_000;
    while (sandbox.listWebhookDeliveries().at(-1)?.state !== "failed" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const delivery = sandbox.listWebhookDeliveries().at(-1);

    expect(delivery?.state).toBe("failed");
    expect(delivery?.attempts.map((attempt) => attempt.error)).toEqual([
      "timeout",
      "timeout",
      "timeout",
      "timeout",
    ]);
  });

  it("disables the webhook when the receiver answers 410, without retrying", async () => {
    await register("/hook");
    receiver.respondWith((request) => (request.method === "POST" ? 410 : 200));
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "gone.one@cedar-valves.com",
    });
    await receiver.waitFor(2);
    await sandbox.deliveriesSettled();
    sandbox.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: "gone.two@cedar-valves.com",
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sandbox.deliveriesSettled();

    expect(receiver.requests).toHaveLength(2);
    expect(sandbox.listWebhookDeliveries().at(-1)?.state).toBe("disabled");
    expect([...sandbox.list(accountId, listId).webhooks.values()][0]?.disabled).toBe(true);
  });

  it("runs the retry schedule on the simulated clock", async () => {
    sandbox.configure({ webhooks: { retryScheduleMs: [3_600_000] } });
    try {
      await register("/hook");
      receiver.respondWith((_request, index) => (index === 1 ? 500 : 200));
      sandbox.subscriberAction(accountId, listId, {
        action: "subscribe",
        email: "hour.later@cedar-valves.com",
      });
      await receiver.waitFor(2);
      await sandbox.deliveriesSettled();
      sandbox.advanceClock(3_600_000);
      await receiver.waitFor(3);

      expect(receiver.requests[2]?.rawBody).toBe(receiver.requests[1]?.rawBody);
    } finally {
      sandbox.configure({ webhooks: { retryScheduleMs: [20, 40, 80] } });
    }
  });
});
