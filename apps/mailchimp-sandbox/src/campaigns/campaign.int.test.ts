/**
 * "Sending a campaign" (reference/mailchimp-api.md §5.2): the `campaign` list webhook fires at
 * once; opens, clicks and unsubscribes appear in the Reports API as simulated time passes
 * (email-activity with `since`), and an unsubscribe changes the member and fires its webhook
 * with the campaign id when its time comes.
 */
import type { AxiosInstance } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";
import { startWebhookReceiver, type TReceiver } from "../test-support/webhook-receiver.js";

let sandbox: SandboxHandle;
let api: AxiosInstance;
let receiver: TReceiver;
let accountId: string;
let listId: string;

const MINUTE = 60_000;
type TEmails = {
  emails: {
    email_address: string;
    activity: { action: string; timestamp: string; url?: string }[];
  }[];
  total_items: number;
};

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  api = apiClient(sandbox);
  receiver = await startWebhookReceiver();
  accountId = sandbox.defaults?.accountId ?? "";
  listId = sandbox.createList(accountId, { name: "Campaign audience" }).id;
  for (const email of [
    "a.reader@lake-foundry.com",
    "b.reader@lake-foundry.com",
    "c.reader@lake-foundry.com",
  ]) {
    await api.put(`/lists/${listId}/members/${email}`, {
      email_address: email,
      status_if_new: "subscribed",
    });
  }
  await api.post(`/lists/${listId}/webhooks`, {
    url: `${receiver.url}/hook`,
    events: { campaign: true, unsubscribe: true },
    sources: { user: true, admin: true, api: false },
  });
});

afterAll(async () => {
  await sandbox.deliveriesSettled();
  await sandbox.close();
  await receiver.close();
});

describe("campaign simulation", () => {
  it("fires the campaign webhook, then reveals engagement as the clock moves", async () => {
    const campaign = sandbox.sendCampaign(accountId, {
      listId,
      subject: "New valve line",
      generate: false,
      activity: [
        { email: "a.reader@lake-foundry.com", action: "open", afterMinutes: 10 },
        {
          email: "a.reader@lake-foundry.com",
          action: "click",
          afterMinutes: 12,
          url: "https://lake-foundry.com/valves",
        },
        { email: "b.reader@lake-foundry.com", action: "open", afterMinutes: 90 },
        { email: "c.reader@lake-foundry.com", action: "unsub", afterMinutes: 30, detail: "manual" },
      ],
    });
    const [, campaignHook] = await receiver.waitFor(2);
    const sentAt = Date.parse(
      ((await api.get(`/campaigns/${campaign.id}`)).data as { send_time: string }).send_time,
    );

    expect(campaignHook?.form).toMatchObject({
      type: "campaign",
      data: {
        id: campaign.id,
        subject: "New valve line",
        status: "sent",
        reason: "",
        list_id: listId,
      },
    });
    expect(
      ((await api.get(`/reports/${campaign.id}/email-activity`)).data as TEmails).emails.flatMap(
        (e) => e.activity,
      ),
    ).toEqual([]);

    sandbox.advanceClock(20 * MINUTE);
    const early = (await api.get(`/reports/${campaign.id}/email-activity`)).data as TEmails;
    expect(
      early.emails
        .find((email) => email.email_address === "a.reader@lake-foundry.com")
        ?.activity.map((a) => a.action),
    ).toEqual(["open", "click"]);

    sandbox.advanceClock(100 * MINUTE);
    const since = new Date(sentAt + 60 * MINUTE).toISOString();
    const later = (await api.get(`/reports/${campaign.id}/email-activity`, { params: { since } }))
      .data as TEmails;
    expect(later.total_items).toBe(1);
    expect(later.emails[0]).toMatchObject({
      email_address: "b.reader@lake-foundry.com",
      activity: [{ action: "open" }],
    });

    const unsubscribed = (await api.get(`/reports/${campaign.id}/unsubscribed`)).data as {
      unsubscribes: unknown[];
    };
    expect(unsubscribed.unsubscribes).toEqual([
      expect.objectContaining({
        email_address: "c.reader@lake-foundry.com",
        reason: "manual",
        campaign_id: campaign.id,
      }),
    ]);
    expect(sandbox.member(accountId, listId, "c.reader@lake-foundry.com")?.status).toBe(
      "unsubscribed",
    );
    const [, , unsubscribeHook] = await receiver.waitFor(3);
    expect(unsubscribeHook?.form).toMatchObject({
      type: "unsubscribe",
      data: { email: "c.reader@lake-foundry.com", campaign_id: campaign.id, action: "unsub" },
    });

    const report = (await api.get(`/reports/${campaign.id}`)).data as Record<string, unknown>;
    expect(report).toMatchObject({
      emails_sent: 3,
      unsubscribed: 1,
      opens: { opens_total: 2, unique_opens: 2 },
    });
  });

  it("generates engagement from rates, the same for the same seed", () => {
    const send = () =>
      sandbox.sendCampaign(accountId, {
        listId,
        seed: "fixed",
        openRate: 1,
        clickRate: 0.5,
        unsubscribeRate: 0,
      });
    const first = send();
    const second = send();
    const shape = (activity: typeof first.activity) =>
      activity.map((event) => [event.email, event.action, event.atMs - activity[0]!.atMs]);

    expect(first.activity.filter((event) => event.action === "open").length).toBeGreaterThanOrEqual(
      2,
    );
    expect(shape(second.activity)).toEqual(shape(first.activity));
  });

  it("lists sent campaigns with since_send_time", async () => {
    const campaigns = (
      await api.get("/campaigns", {
        params: { list_id: listId, since_send_time: "2000-01-01T00:00:00Z" },
      })
    ).data as {
      total_items: number;
    };

    expect(campaigns.total_items).toBe(3);
  });
});
