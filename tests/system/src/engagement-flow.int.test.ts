/**
 * Engagement end to end, across real processes: the built webhook-receiver and plex-writeback,
 * the machine's Redis and Postgres, and both simulators over real HTTP. Subscriber actions and a
 * campaign send in the Mailchimp sandbox must end as the right activities on the right customers
 * in the Plex sandbox; a replayed webhook must have no second effect; a Mandrill event with a bad
 * signature must be refused.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";

import {
  ROOT,
  startProcess,
  waitForExit,
  waitForHttp,
  type TRunningProcess,
} from "./process-harness.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const RECEIVER_PORT = 18283;
const WRITEBACK_PORT = 18284;
const RECEIVER = `http://127.0.0.1:${RECEIVER_PORT}`;

type TActivity = { activityName: string; customerCode: string; comments: string[] | null };

const md5 = (email: string) => createHash("md5").update(email.toLowerCase()).digest("hex");

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe("Mailchimp engagement into Plex across real processes", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const masterKey = randomBytes(32).toString("base64");
  const connectionId = `eng-${randomUUID().slice(0, 8)}`;
  const queuePrefix = `mlc-eng-${randomUUID().slice(0, 6)}`;
  const processes: TRunningProcess[] = [];
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  let accountId: string;
  let listId: string;
  const customers: { id: string; code: string }[] = [];
  const email = (index: number) => `buyer${index}.${connectionId}@acme-industrial.com`;

  async function activities(code: string): Promise<TActivity[]> {
    const res = await fetch(`${plex.controlUrl}/activities?customerCode=${code}`);

    return (await res.json()) as TActivity[];
  }

  beforeAll(async () => {
    plex = await startPlexSandbox({ customers: 30, seed: 17, latency: { baseMs: 0, perRowMs: 0 } });
    mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      webhooks: { retryScheduleMs: [500, 1_000] },
    });
    accountId = mailchimp.defaults!.accountId;
    listId = mailchimp.defaults!.listId;

    const env = {
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      DATABASE_URL,
      QUEUE_PREFIX: queuePrefix,
      MASTER_KEYS: `1:${masterKey}`,
      MASTER_KEY_CURRENT: "1",
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      WEBHOOK_PUBLIC_URL: RECEIVER,
      REPORT_COLLECTION_INTERVALS: "300ms,5s",
      WRITE_DEBOUNCE_MS: "300",
      WEBHOOK_CHECK_MS: "1000",
      SWEEP_MS: "1000",
      SWEEP_AFTER_MS: "3000",
    };

    // The connection and its links, as the customer sync would have left them.
    const { ConnectionService } = await import("@ml-connector/connections");
    const { MasterKeyring, createVault } = await import("@ml-connector/vault");
    const vault = createVault({
      prisma,
      keyring: new MasterKeyring(new Map([[1, Buffer.from(masterKey, "base64")]]), 1),
    });
    await new ConnectionService(prisma, vault).create({
      id: connectionId,
      name: "Engagement flow plant",
      mode: "sandbox",
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        listId,
        auth: { scheme: "api_key", apiKey: mailchimp.defaults!.apiKey },
      },
    });
    await vault.put(connectionId, "mandrill_webhook_key", { key: "mandrill-flow-key-123456" });
    const res = await fetch(`${plex.url}/mdm/v1/customers`, {
      headers: { "X-Plex-Connect-Api-Key": plex.apiKey },
    });
    for (const customer of ((await res.json()) as { id: string; code: string | null }[]).slice(
      0,
      4,
    )) {
      customers.push({ id: customer.id, code: customer.code! });
    }
    await prisma.identityLink.createMany({
      data: [0, 1, 2].map((index) => ({
        connectionId,
        plexCustomerId: customers[index]!.id,
        plexCustomerCode: customers[index]!.code,
        email: email(index),
        subscriberHash: md5(email(index)),
      })),
    });
    // Customer 3 has no e-mail in Plex, only a phone.
    await prisma.identityLink.create({
      data: {
        connectionId,
        plexCustomerId: customers[3]!.id,
        plexCustomerCode: customers[3]!.code,
        phone: "13135550142",
      },
    });

    for (const [name, port] of [
      ["webhook-receiver", RECEIVER_PORT],
      ["plex-writeback", WRITEBACK_PORT],
    ] as const) {
      const running = startProcess([join(ROOT, "apps", name, "dist", "main.js")], {
        ...env,
        HTTP_PORT: String(port),
      });
      processes.push(running);
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, 200, 30_000);
    }
  });

  afterAll(async () => {
    if (process.env.ML_FLOW_LOG_DIR !== undefined) {
      const { writeFileSync } = await import("node:fs");
      processes.forEach((running, index) =>
        writeFileSync(
          join(process.env.ML_FLOW_LOG_DIR!, `engagement-${index}.log`),
          running.output(),
        ),
      );
      const inbox = await prisma.webhookInbox.findMany({ where: { connectionId } });
      writeFileSync(
        join(process.env.ML_FLOW_LOG_DIR, "engagement-state.json"),
        JSON.stringify(
          { deliveries: mailchimp.listWebhookDeliveries(), inbox },
          (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
          2,
        ),
      );
    }
    for (const running of processes) running.child.kill("SIGTERM");
    await Promise.all(
      processes.map((running) => waitForExit(running, 15_000).catch(() => undefined)),
    );
    await purgeConnections(prisma, [connectionId]);
    await Promise.all([plex.close(), mailchimp.close(), prisma.$disconnect()]);
  });

  it("registers the list webhook (user and admin sources, not api) on its own", async () => {
    const webhook = await until("the list webhook", () =>
      Promise.resolve(
        [...mailchimp.list(accountId, listId).webhooks.values()].find((candidate) =>
          candidate.url.startsWith(`${RECEIVER}/webhooks/mailchimp/${connectionId}/`),
        ),
      ),
    );
    expect(webhook.sources).toEqual({ user: true, admin: true, api: false });
    expect(Object.values(webhook.events).every(Boolean)).toBe(true);

    // Later checks (every second here) find it and leave it alone: still exactly one.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const ours = [...mailchimp.list(accountId, listId).webhooks.values()].filter((candidate) =>
      candidate.url.startsWith(`${RECEIVER}/webhooks/mailchimp/${connectionId}/`),
    );
    expect(ours).toHaveLength(1);
  });

  it("turns subscriber actions into activities on the right Plex customers", async () => {
    mailchimp.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: email(0),
      mergeFields: { FNAME: "Ada" },
    });
    mailchimp.subscriberAction(accountId, listId, { action: "subscribe", email: email(1) });
    mailchimp.subscriberAction(accountId, listId, { action: "subscribe", email: email(2) });
    mailchimp.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: `phone-only.${connectionId}@gmail.com`,
      mergeFields: { PHONE: "(313) 555-0142" },
    });
    mailchimp.subscriberAction(accountId, listId, {
      action: "subscribe",
      email: `stranger.${connectionId}@acme.com`,
    });
    mailchimp.subscriberAction(accountId, listId, {
      action: "unsubscribe",
      email: email(1),
      reason: "manual",
    });
    mailchimp.subscriberAction(accountId, listId, {
      action: "cleaned",
      email: email(2),
      reason: "hard",
    });
    mailchimp.subscriberAction(accountId, listId, {
      action: "upemail",
      email: email(0),
      newEmail: `new.${email(0)}`,
    });

    const [first, second, third, fourth] = customers;
    const names = async (code: string) =>
      (await activities(code)).map((activity) => activity.activityName).sort();
    await until("activities of every customer", async () => {
      const counts = await Promise.all(
        customers.map(async (customer) => (await activities(customer.code)).length),
      );
      return counts.join(",") === "2,2,2,1" ? counts : undefined;
    });
    expect((await names(first!.code)).map((name) => name.split(" 20")[0])).toEqual([
      "Mailchimp: e-mail address changed",
      "Mailchimp: subscribed",
    ]);
    expect((await names(second!.code)).map((name) => name.split(" 20")[0])).toEqual([
      "Mailchimp: subscribed",
      "Mailchimp: unsubscribed",
    ]);
    expect((await names(third!.code)).map((name) => name.split(" 20")[0])).toEqual([
      "Mailchimp: address cleaned",
      "Mailchimp: subscribed",
    ]);
    // Found by the PHONE merge field: the link has no e-mail.
    expect((await names(fourth!.code)).map((name) => name.split(" 20")[0])).toEqual([
      "Mailchimp: subscribed",
    ]);
    const unsubscribed = (await activities(second!.code)).find((activity) =>
      activity.activityName.includes("unsubscribed"),
    );
    expect(unsubscribed?.comments?.[0]).toContain(`${email(1)} unsubscribed, reason: manual`);

    // upemail moved the link; the stranger was refused with a reason, not retried.
    const moved = await prisma.identityLink.findFirst({
      where: { connectionId, plexCustomerId: first!.id },
    });
    expect(moved?.email).toBe(`new.${email(0)}`);
    const stranger = await prisma.webhookInbox.findMany({
      where: { connectionId, status: "rejected" },
    });
    expect(stranger).toHaveLength(1);
    expect(stranger[0]!.reason).toMatch(/no Plex customer is linked/);
  });

  it("collects a sent campaign's opens and clicks in rounds into one activity per customer", async () => {
    const newEmail = `new.${email(0)}`;
    mailchimp.subscriberAction(accountId, listId, { action: "subscribe", email: email(1) });
    const campaign = mailchimp.sendCampaign(accountId, {
      listId,
      subject: "Winter catalog",
      generate: false,
      activity: [
        { email: newEmail, action: "open", afterMinutes: 5 },
        { email: newEmail, action: "click", afterMinutes: 6, url: "https://example.com/catalog" },
        { email: email(1), action: "open", afterMinutes: 7 },
        { email: newEmail, action: "open", afterMinutes: 600 },
      ],
    });
    mailchimp.advanceClock(60 * 60_000);

    const named = (code: string) =>
      until(`campaign activity of ${code}`, async () =>
        (await activities(code)).find((activity) => activity.activityName.includes(campaign.id)),
      );
    const first = await named(customers[0]!.code);
    const second = await named(customers[1]!.code);
    expect(first.activityName).toBe(`Mailchimp campaign: Winter catalog [mc ${campaign.id}]`);
    expect(first.comments).toHaveLength(2);
    expect(first.comments![0]).toContain(`opened by ${newEmail}`);
    expect(first.comments![1]).toContain(`link https://example.com/catalog clicked by ${newEmail}`);
    expect(second.comments).toHaveLength(1);

    // The second round (5 s after the send) finds the late open: the same activity, updated by
    // PUT with the full comments list, earlier comments kept.
    mailchimp.advanceClock(12 * 60 * 60_000);
    const updated = await until(
      "the second round",
      async () => {
        const activity = (await activities(customers[0]!.code)).find((item) =>
          item.activityName.includes(campaign.id),
        );
        return activity?.comments?.length === 3 ? activity : undefined;
      },
      20_000,
    );
    expect(updated.comments!.slice(0, 2)).toEqual(first.comments);
    const campaignActivities = (await activities(customers[0]!.code)).filter((item) =>
      item.activityName.includes(campaign.id),
    );
    expect(campaignActivities).toHaveLength(1);
  });

  it("gives a replayed webhook no second effect", async () => {
    const delivery = mailchimp
      .listWebhookDeliveries()
      .find(
        (candidate) =>
          candidate.eventType === "unsubscribe" &&
          candidate.body.includes(encodeURIComponent(email(1))),
      );
    expect(delivery).toBeDefined();
    const before = await activities(customers[1]!.code);
    const inboxBefore = await prisma.webhookInbox.count({ where: { connectionId } });

    const res = await fetch(delivery!.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": "MailChimp.com",
      },
      body: delivery!.body,
    });
    expect(await res.json()).toEqual({ status: "duplicate" });
    expect(await prisma.webhookInbox.count({ where: { connectionId } })).toBe(inboxBefore);

    // An operator replay of the processed row runs it again, and still changes nothing in Plex.
    const row = await prisma.webhookInbox.findFirst({
      where: { connectionId, eventType: "unsubscribe" },
    });
    const { replayInbox } = await import("@ml-connector/engagement");
    const { createProducer } = await import("@ml-connector/queues");
    const { createLogger } = await import("@ml-connector/runtime");
    const { Redis } = await import("ioredis");
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
      maxRetriesPerRequest: null,
    });
    const producer = createProducer("webhookEvent", redis, queuePrefix);
    await replayInbox(
      prisma,
      producer,
      connectionId,
      [row!.id.toString()],
      createLogger({ service: "test", level: "silent" }),
    );
    await until("the replayed row processed", async () => {
      const again = await prisma.webhookInbox.findUnique({ where: { id: row!.id } });
      return again?.status === "processed" && (again.attempts ?? 0) >= 2 ? again : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await activities(customers[1]!.code)).toEqual(before);
    await producer.close();
    redis.disconnect();
  });

  it("writes signed Mandrill events and refuses a bad signature", async () => {
    const url = `${RECEIVER}/webhooks/mandrill/${connectionId}`;
    mailchimp.addMandrillWebhook({
      url,
      authKey: "mandrill-flow-key-123456",
      events: ["open", "click"],
    });
    const inboxBefore = await prisma.webhookInbox.count({
      where: { connectionId, source: "mandrill" },
    });

    const forged = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-mandrill-signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      },
      body: `mandrill_events=${encodeURIComponent(JSON.stringify([{ event: "open", ts: 1, msg: { email: email(2) } }]))}`,
    });
    expect(forged.status).toBe(401);
    expect(await prisma.webhookInbox.count({ where: { connectionId, source: "mandrill" } })).toBe(
      inboxBefore,
    );

    mailchimp.sendMandrillEvents([
      { event: "open", email: `new.${email(0)}`, subject: "Your order has shipped" },
    ]);
    const transactional = await until("the transactional activity", async () =>
      (await activities(customers[0]!.code)).find((activity) =>
        activity.activityName.startsWith("Transactional e-mail: Your order has shipped"),
      ),
    );
    expect(transactional.comments?.[0]).toContain(`opened by new.${email(0)}`);
  });
});
