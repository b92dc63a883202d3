/**
 * The engagement side under SIGKILL: subscriber actions in the Mailchimp sandbox reach the real
 * webhook-receiver as list webhooks and end as Activity Manager records in the Plex sandbox,
 * written by the real plex-writeback. The receiver is killed once while webhooks arrive (Mailchimp
 * retries what got no answer) and the write-back twice while it writes. Every action must end as
 * exactly one activity on the right customer, and every inbox row as processed.
 */
import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChaosRig } from "./chaos-harness.js";

// Each action is one Activity Manager call and Plex allows about 200 calls a minute: the counts
// stay under one minute's budget so the run measures recovery, not the rate limit.
const CUSTOMERS = 90;
const UNSUBSCRIBERS = CUSTOMERS / 2;
const PORT_BASE = 18440;
const RECEIVER = `http://127.0.0.1:${PORT_BASE + 1}`;

type TActivity = { activityName: string; customerCode: string };

const md5 = (email: string) => createHash("md5").update(email.toLowerCase()).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("webhook-receiver and plex-writeback killed with SIGKILL while engagement flows", () => {
  const rig = new ChaosRig({
    customers: CUSTOMERS + 20,
    portBase: PORT_BASE,
    apps: ["webhook-receiver", "plex-writeback"],
    // Mailchimp retries a delivery that got no 2xx; a shortened schedule keeps the run short.
    mailchimp: {
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      webhooks: { retryScheduleMs: [500, 1_000, 2_000, 4_000, 8_000, 15_000] },
    },
    env: {
      WEBHOOK_PUBLIC_URL: RECEIVER,
      WRITE_DEBOUNCE_MS: "200",
      WEBHOOK_CHECK_MS: "1000",
      SWEEP_MS: "1000",
      SWEEP_AFTER_MS: "3000",
      REPORT_COLLECTION_INTERVALS: "300ms,5s",
    },
  });
  const customers: { id: string; code: string; email: string }[] = [];

  async function activities(): Promise<TActivity[]> {
    const res = await fetch(`${rig.plex.controlUrl}/activities`);

    return (await res.json()) as TActivity[];
  }

  beforeAll(async () => {
    await rig.start();
    const res = await fetch(`${rig.plex.url}/mdm/v1/customers`, {
      headers: { "X-Plex-Connect-Api-Key": rig.plex.apiKey },
    });
    const listed = (await res.json()) as { id: string; code: string | null }[];
    for (const customer of listed.filter((entry) => entry.code !== null).slice(0, CUSTOMERS)) {
      const email = `buyer.${customer.code!.toLowerCase()}.${rig.connectionId}@acme-industrial.com`;
      customers.push({ id: customer.id, code: customer.code!, email });
    }
    // The links the customer sync would have left.
    await rig.prisma.identityLink.createMany({
      data: customers.map((customer) => ({
        connectionId: rig.connectionId,
        plexCustomerId: customer.id,
        plexCustomerCode: customer.code,
        email: customer.email,
        subscriberHash: md5(customer.email),
      })),
    });
  });
  afterAll(() => rig.stop());

  it("writes every action into Plex exactly once", async () => {
    const [receiver, writeback] = rig.services as [
      (typeof rig.services)[0],
      (typeof rig.services)[0],
    ];
    const { accountId, listId } = rig.mailchimp.defaults!;
    const registered = () =>
      [...rig.mailchimp.list(accountId, listId).webhooks.values()].some((webhook) =>
        webhook.url.startsWith(`${RECEIVER}/webhooks/mailchimp/${rig.connectionId}/`),
      );
    for (let waited = 0; !registered(); waited += 200) {
      if (waited > 30_000) throw new Error("the list webhook was never registered");
      await sleep(200);
    }

    const kills: string[] = [];
    const act = async (action: "subscribe" | "unsubscribe", list: typeof customers) => {
      for (const [index, customer] of list.entries()) {
        if (action === "subscribe") {
          rig.mailchimp.subscriberAction(accountId, listId, { action, email: customer.email });
        } else {
          rig.mailchimp.subscriberAction(accountId, listId, {
            action,
            email: customer.email,
            reason: "manual",
          });
        }
        if (index % 10 === 9) await sleep(40);
        // The receiver dies a third of the way through the subscribes: its in-flight and later
        // deliveries fail and Mailchimp retries them once it is back.
        if (action === "subscribe" && index === Math.floor(list.length / 3)) {
          await rig.kill(receiver);
          kills.push(`webhook-receiver after ${index + 1} subscribes`);
          await sleep(1_500);
          await rig.startService(receiver);
        }
      }
    };
    const killWritebackAt = async (count: number) => {
      for (let waited = 0; (await activities()).length < count; waited += 50) {
        if (waited > 60_000) throw new Error(`fewer than ${count} activities after a minute`);
        await sleep(50);
      }
      await rig.kill(writeback);
      kills.push(`plex-writeback at ${(await activities()).length} activities`);
      await rig.startService(writeback);
    };

    await Promise.all([act("subscribe", customers), killWritebackAt(CUSTOMERS / 3)]);
    await Promise.all([
      act("unsubscribe", customers.slice(0, UNSUBSCRIBERS)),
      killWritebackAt(CUSTOMERS + UNSUBSCRIBERS / 3),
    ]);

    const expected = CUSTOMERS + UNSUBSCRIBERS;
    const deadline = Date.now() + 150_000;
    while ((await activities()).length < expected && Date.now() < deadline) await sleep(500);
    // Anything written twice would show up after the last retries and sweeps: wait them out.
    await sleep(5_000);

    expect(kills).toHaveLength(3);
    const written = await activities();
    const byCustomer = new Map<string, string[]>();
    for (const activity of written) {
      const names = byCustomer.get(activity.customerCode) ?? [];
      names.push(activity.activityName.split(" 20")[0]!);
      byCustomer.set(activity.customerCode, names);
    }
    const wrong = customers.filter((customer, index) => {
      const names = (byCustomer.get(customer.code) ?? []).sort().join("|");
      const want =
        index < UNSUBSCRIBERS
          ? "Mailchimp: subscribed|Mailchimp: unsubscribed"
          : "Mailchimp: subscribed";
      return names !== want;
    });
    expect(wrong.map((customer) => customer.code)).toEqual([]);
    expect(written).toHaveLength(expected);

    const inbox = await rig.prisma.webhookInbox.groupBy({
      by: ["status"],
      where: { connectionId: rig.connectionId },
      _count: true,
    });
    expect(inbox.map((row) => [row.status, row._count])).toEqual([["processed", expected]]);

    // The webhook URL's last segment is the connection's secret: it must not be logged either.
    const webhookUrl = [...rig.mailchimp.list(accountId, listId).webhooks.values()].find(
      (webhook) => webhook.url.startsWith(`${RECEIVER}/webhooks/mailchimp/`),
    )!.url;
    const webhookSecret = webhookUrl.split("/").pop()!;
    expect(webhookSecret.length).toBeGreaterThan(15);
    const output = rig.services.map((service) => service.output.join("")).join("");
    expect(output).toContain(rig.connectionId);
    for (const secret of [rig.plex.apiKey, rig.mailchimp.defaults!.apiKey, webhookSecret]) {
      expect(output.includes(secret), "a secret in a service log").toBe(false);
    }
  });
});
