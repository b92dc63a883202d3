import { randomBytes, randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import {
  ConnectionService,
  openMailchimpClient,
  openPlexClients,
  type TConnectionView,
} from "@ml-connector/connections";
import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { subscriberHash, updateMemberTags } from "@ml-connector/mailchimp-client";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";
import type { PlexConnectClient } from "@ml-connector/plex-client";
import { createLogger } from "@ml-connector/runtime";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { collectBatch } from "./batch-collector.js";
import { pollContacts } from "./contact-stream.reader.js";
import { pollCustomers } from "./customer-stream.reader.js";
import { writeCustomers } from "./customer.writer.js";
import { ensureProvisioned } from "./provisioner.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CUSTOMERS = 400;

describe("customers from the Plex sandbox into the Mailchimp sandbox", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 6 });
  const vault = createVault({
    prisma,
    keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
  });
  const redis = new Redis(REDIS_URL);
  const log = createLogger({ service: "sync-test", level: "warn" });
  const prefix = `mlc-sync-test-${randomUUID().slice(0, 6)}`;
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  let connection: TConnectionView;
  let plexClient: PlexConnectClient;

  beforeAll(async () => {
    plex = await startPlexSandbox({
      customers: CUSTOMERS,
      seed: 7,
      latency: { baseMs: 0, perRowMs: 0 },
    });
    // Latency off and /batches fast: this test is about what ends where, not about speed.
    mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      batches: { operationsPerSecond: 5_000 },
    });
    connection = await new ConnectionService(prisma, vault).create({
      id: `sync-${randomUUID().slice(0, 8)}`,
      name: "Sync test plant",
      mode: "sandbox",
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        listId: mailchimp.defaults!.listId,
        storeId: mailchimp.defaults!.storeId,
        auth: { scheme: "api_key", apiKey: mailchimp.defaults!.apiKey },
      },
    });
    const clients = await openPlexClients(connection, { vault, redis, prefix });
    if (!("connect" in clients)) throw new Error("expected a Connect client");
    plexClient = clients.connect;
  });

  afterAll(async () => {
    await purgeConnections(prisma, [connection.id]);
    await Promise.all([plex.close(), mailchimp.close(), redis.quit(), prisma.$disconnect()]);
  });

  /** One full cycle as the apps run it: poll both streams, write what was handed on, collect. */
  async function syncOnce(now = new Date()) {
    const queued: string[] = [];
    const enqueue = (_entity: string, ids: string[]) => {
      queued.push(...ids);

      return Promise.resolve();
    };
    const pollCtx = { connection, plex: plexClient, prisma, log, now, enqueue };
    const customers = await pollCustomers(pollCtx);
    const contacts = await pollContacts(pollCtx);
    const ids = [...new Set(queued)];
    const mailchimpClient = (await openMailchimpClient(connection, { vault, redis, prefix }))!;
    await ensureProvisioned(redis, prefix, connection, mailchimpClient, log);
    const batches: string[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      await writeCustomers(
        {
          connection,
          mailchimp: mailchimpClient,
          prisma,
          log,
          now,
          collectBatch: (batchId) => {
            batches.push(batchId);

            return Promise.resolve();
          },
        },
        ids.slice(start, start + 500),
      );
    }
    for (const batchId of batches) {
      for (let round = 0; round < 100; round += 1) {
        const state = await collectBatch(connection, mailchimpClient, prisma, log, batchId);
        if (state.state === "collected") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    return { customers, contacts, written: ids.length, mailchimpCalls: mailchimpClient.calls };
  }

  function audienceMembers() {
    const list = mailchimp.list(mailchimp.defaults!.accountId, mailchimp.defaults!.listId);

    return [...list.members.values()];
  }

  it(
    "backfills a messy plant into exactly the expected members, with every rejection explained",
    { timeout: 120_000 },
    async () => {
      const first = await syncOnce();

      expect(first.customers.rows).toBe(CUSTOMERS);
      expect(first.written).toBe(CUSTOMERS);
      const links = await prisma.identityLink.findMany({
        where: { connectionId: connection.id, deliveredAt: { not: null } },
      });
      const members = audienceMembers();
      expect(members.length).toBe(links.length);
      expect(members.length).toBeGreaterThan(CUSTOMERS / 2);
      const byHash = new Map(members.map((member) => [member.id, member]));
      for (const link of links) {
        const member = byHash.get(link.subscriberHash!);
        expect(member, `member for ${link.plexCustomerCode}`).toBeDefined();
        expect(member!.status).toBe("subscribed");
        expect(member!.merge_fields.CUSTCODE).toBe(link.plexCustomerCode);
        expect(subscriberHash(link.email!)).toBe(link.subscriberHash);
      }
      const records = await prisma.syncRecord.findMany({
        where: { connectionId: connection.id, entity: "customer" },
      });
      expect(records.every((record) => ["delivered", "rejected"].includes(record.status))).toBe(
        true,
      );
      const rejected = records.filter((record) => record.status === "rejected");
      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected.every((record) => (record.reason ?? "").length > 10)).toBe(true);
      // Contacts too end with an outcome (those of inactive customers included).
      const waitingContacts = await prisma.syncRecord.count({
        where: {
          connectionId: connection.id,
          entity: "contact",
          status: { in: ["received", "queued"] },
        },
      });
      expect(waitingContacts).toBe(0);
      // Every customer's own trail ends in its outcome, also when only its contacts were written.
      const outcomes = await prisma.auditEvent.findMany({
        where: {
          connectionId: connection.id,
          entity: "customer",
          stage: { in: ["delivered", "rejected"] },
        },
        select: { externalId: true, stage: true },
      });
      const trailed = new Set(outcomes.map((event) => `${event.externalId} ${event.stage}`));
      const untrailed = records.filter(
        (record) => !trailed.has(`${record.externalId} ${record.status}`),
      );
      expect(untrailed.map((record) => record.externalId)).toEqual([]);
      const audit = await prisma.auditEvent.findMany({
        where: { connectionId: connection.id, stage: "rejected" },
      });
      expect(
        audit.every(
          (event) =>
            (event.reason ?? "") !== "" &&
            !/\w@[\w-]+\.\w/.test(event.reason!.replace(/\*\*\*@/g, "")),
        ),
      ).toBe(true);
    },
  );

  it("sends nothing to Mailchimp when nothing changed in Plex, and costs only a few Plex calls", async () => {
    const before = mailchimp.stats();
    const plexCallsBefore = plexClient.calls;

    const idle = await syncOnce();

    expect(idle.written).toBe(0);
    expect(idle.mailchimpCalls).toBe(0);
    expect(mailchimp.stats()).toEqual(before);
    expect(plexClient.calls - plexCallsBefore).toBeLessThanOrEqual(3);
  });

  it("hands on contacts that a run cut off before handing on left behind", async () => {
    // The state a contact run killed between storing and handing on leaves: the contact is
    // "received" with its current hash, so the next read sees no change in Plex.
    const contact = await prisma.syncRecord.findFirstOrThrow({
      where: { connectionId: connection.id, entity: "contact", parentId: { not: null } },
    });
    await prisma.syncRecord.update({ where: { id: contact.id }, data: { status: "received" } });

    const next = await syncOnce();

    expect(next.contacts.changed).toBe(0);
    expect(next.written).toBe(1);
    const customer = await prisma.syncRecord.findFirstOrThrow({
      where: { connectionId: connection.id, entity: "customer", externalId: contact.parentId! },
    });
    expect(["delivered", "rejected"]).toContain(customer.status);
    const after = await prisma.syncRecord.findUniqueOrThrow({ where: { id: contact.id } });
    expect(after.status).not.toBe("received");
  });

  it("re-running a write job for delivered customers changes nothing and calls Mailchimp not once", async () => {
    const delivered = await prisma.syncRecord.findMany({
      where: { connectionId: connection.id, entity: "customer", status: "delivered" },
      select: { externalId: true },
      take: 50,
    });
    const mailchimpClient = (await openMailchimpClient(connection, { vault, redis, prefix }))!;

    const again = await writeCustomers(
      {
        connection,
        mailchimp: mailchimpClient,
        prisma,
        log,
        now: new Date(),
        collectBatch: () => Promise.reject(new Error("no batch expected")),
      },
      delivered.map((record) => record.externalId),
    );

    expect(mailchimpClient.calls).toBe(0);
    expect(again.membersUnchanged).toBeGreaterThanOrEqual(50);
    const after = await prisma.syncRecord.count({
      where: {
        connectionId: connection.id,
        entity: "customer",
        externalId: { in: delivered.map((r) => r.externalId) },
        status: "delivered",
      },
    });
    expect(after).toBe(delivered.length);
  });

  it("updates a changed customer on the next poll and never re-subscribes an unsubscribed member", async () => {
    const links = await prisma.identityLink.findMany({
      where: { connectionId: connection.id, deliveredAt: { not: null }, plexContactId: null },
      take: 2,
    });
    const [renamed, unsubscribed] = links;
    const tagsBefore = [
      ...audienceMembers()
        .find((m) => m.id === renamed!.subscriberHash)!
        .tags.keys(),
    ];
    expect(tagsBefore.some((tag) => tag.startsWith("plex:type:"))).toBe(true);
    // A marketer tags the member by hand in Mailchimp; the connector must leave that tag alone.
    const userClient = (await openMailchimpClient(connection, { vault, redis, prefix }))!;
    await updateMemberTags(userClient, mailchimp.defaults!.listId, renamed!.subscriberHash!, [
      { name: "VIP handpicked", status: "active" },
    ]);
    plex.mutations.update("customer", renamed!.plexCustomerId, {
      name: "Renamed Industries GmbH",
      type: "Distributor",
    });
    mailchimp.subscriberAction(mailchimp.defaults!.accountId, mailchimp.defaults!.listId, {
      action: "unsubscribe",
      email: unsubscribed!.email!,
    });
    plex.mutations.update("customer", unsubscribed!.plexCustomerId, {
      name: "Still Unsubscribed AG",
    });

    const next = await syncOnce(new Date(Date.now() + 10_000));

    expect(next.written).toBe(2);
    const members = new Map(audienceMembers().map((member) => [member.id, member]));
    expect(members.get(renamed!.subscriberHash!)!.merge_fields.COMPANY).toBe(
      "Renamed Industries GmbH",
    );
    const stillOut = members.get(unsubscribed!.subscriberHash!)!;
    expect(stillOut.status).toBe("unsubscribed");
    expect(stillOut.merge_fields.COMPANY).toBe("Still Unsubscribed AG");
  });
  it("reads every one of many customers changed at the same instant, across window edges", async () => {
    // Two crowds of 60 customers, each sharing one modified date, 1 ms apart: with 25 rows a
    // window, the planner must split around them and accept the crowds it cannot split.
    const at = Date.now() + 60_000;
    const touched: string[] = [];
    vi.useFakeTimers({ toFake: ["Date"], now: at });
    try {
      touched.push(...plex.mutations.touch("customer", 60));
      vi.setSystemTime(at + 1);
      touched.push(...plex.mutations.touch("customer", 60));
    } finally {
      vi.useRealTimers();
    }
    // (A customer picked twice carries the second instant.)
    const changed = [...new Set(touched)].sort();
    expect(changed.length).toBeGreaterThan(100);
    const queued: string[] = [];
    const pollCtx = {
      connection,
      plex: plexClient,
      prisma,
      log,
      now: new Date(at + 120_000),
      enqueue: (_entity: string, ids: string[]) => {
        queued.push(...ids);

        return Promise.resolve();
      },
    };

    const result = await pollCustomers(pollCtx, { maxRowsPerWindow: 25 });

    expect(result.windows).toBeGreaterThan(1);
    // Each touched customer was read and handed on once; none skipped at a window edge.
    expect(queued.filter((id) => changed.includes(id)).sort()).toEqual(changed);
  });
});
