import { randomBytes, randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ConnectionService,
  openMailchimpClient,
  openPlexClients,
  type TConnectionView,
} from "@ml-connector/connections";
import { bulkSql, createPrismaClient, purgeConnections } from "@ml-connector/db";
import type { MailchimpClient } from "@ml-connector/mailchimp-client";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { PlexConnectClient } from "@ml-connector/plex-client";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";
import { createLogger } from "@ml-connector/runtime";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { collectBatch } from "./batch-collector.js";
import { pollContacts } from "./contact-stream.reader.js";
import { pollCustomers } from "./customer-stream.reader.js";
import { writeCustomers } from "./customer.writer.js";
import { collectOrderBatch } from "./order-batch.collector.js";
import {
  pollOrderStream,
  type TOrderPollResult,
  type TOrderStream,
} from "./order-stream.reader.js";
import { writeOrders } from "./order.writer.js";
import { pollParts } from "./part-stream.reader.js";
import type { TPollResult } from "./poll.types.js";
import { plexTruth, type TTruth } from "./testing/plex-order.truth.js";
import { writeProducts } from "./product.writer.js";
import { ensureProvisioned } from "./provisioner.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CUSTOMERS = 90;
const ALL_STREAMS: TOrderStream[] = ["invoices", "shippers", "orders", "releases"];

describe("sales orders from the Plex sandbox into the Mailchimp sandbox", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 6 });
  const vault = createVault({
    prisma,
    keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
  });
  const redis = new Redis(REDIS_URL);
  const log = createLogger({ service: "order-sync-test", level: "warn" });
  const prefix = `mlc-order-test-${randomUUID().slice(0, 6)}`;
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  let connection: TConnectionView;
  let plexClient: PlexConnectClient;
  let truthClient: PlexConnectClient;
  let mailchimpClient: MailchimpClient;
  let clock = Date.now();

  beforeAll(async () => {
    plex = await startPlexSandbox({
      customers: CUSTOMERS,
      parts: 400,
      seed: 17,
      latency: { baseMs: 0, perRowMs: 0 },
      rateLimit: { limit: 100_000 },
    });
    mailchimp = await startMailchimpSandbox({
      latency: { perRequestMs: 0, perBatchMemberMs: 0 },
      batches: { operationsPerSecond: 5_000 },
    });
    connection = await new ConnectionService(prisma, vault).create({
      id: `orders-${randomUUID().slice(0, 8)}`,
      name: "Order sync test plant",
      mode: "sandbox",
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        listId: mailchimp.defaults!.listId,
        storeId: mailchimp.defaults!.storeId,
        auth: { scheme: "api_key", apiKey: mailchimp.defaults!.apiKey },
      },
      options: { plexCallsPerMinute: 200 },
    });
    const clients = await openPlexClients(connection, { vault, redis, prefix });
    if (!("connect" in clients)) throw new Error("expected a Connect client");
    plexClient = clients.connect;
    // Reads the ground truth (lines, prices) without counting as the connector's calls.
    truthClient = new PlexConnectClient({
      baseUrl: plex.url,
      auth: { scheme: "api_key", apiKey: plex.apiKey },
    });
    mailchimpClient = (await openMailchimpClient(connection, { vault, redis, prefix }))!;
    await ensureProvisioned(redis, prefix, connection, mailchimpClient, log);
  });

  afterAll(async () => {
    await purgeConnections(prisma, [connection.id]);
    await Promise.all([plex.close(), mailchimp.close(), redis.quit(), prisma.$disconnect()]);
  });

  /** A moment after everything the sandbox stamped so far, so a poll's window covers it. */
  function later(): Date {
    clock = Math.max(clock, Date.now()) + 10_000;

    return new Date(clock);
  }

  type TQueued = Map<string, Set<string>>;
  const queue = (): TQueued =>
    new Map([
      ["product", new Set()],
      ["order", new Set()],
      ["customer", new Set()],
    ]);
  const enqueueInto = (queued: TQueued) => (entity: string, ids: string[]) => {
    for (const id of ids) queued.get(entity)?.add(id);

    return Promise.resolve();
  };

  /** Runs the write side as the writer app does until nothing is left on the "queue". */
  async function drain(queued: TQueued, options: { batchThreshold?: number } = {}) {
    const batches: { id: string; orders: boolean }[] = [];
    const ctx = {
      connection,
      mailchimp: mailchimpClient,
      prisma,
      log,
      now: new Date(),
      enqueue: enqueueInto(queued),
      batchThreshold: options.batchThreshold,
      collectBatch: (id: string) => {
        batches.push({ id, orders: true });

        return Promise.resolve();
      },
    };
    for (let round = 0; round < 10; round += 1) {
      const take = (entity: string) => {
        const ids = [...queued.get(entity)!];
        queued.get(entity)!.clear();

        return ids;
      };
      const products = take("product");
      if (products.length > 0) await writeProducts(ctx, products);
      const orders = take("order");
      for (let start = 0; start < orders.length; start += 500) {
        await writeOrders(ctx, orders.slice(start, start + 500));
      }
      const customers = take("customer");
      if (customers.length > 0) {
        await writeCustomers(
          {
            ...ctx,
            collectBatch: (id: string) => {
              batches.push({ id, orders: false });

              return Promise.resolve();
            },
          },
          customers,
        );
      }
      for (const batch of batches.splice(0)) {
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const state = batch.orders
            ? await collectOrderBatch(ctx, batch.id)
            : await collectBatch(connection, mailchimpClient, prisma, log, batch.id);
          if (state.state === "collected") break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      if ([...queued.values()].every((ids) => ids.size === 0)) return;
    }
    throw new Error("the write side did not settle in 10 rounds");
  }

  async function syncCustomers(now = later()) {
    const queued = queue();
    const ctx = { connection, plex: plexClient, prisma, log, now, enqueue: enqueueInto(queued) };
    await pollContacts(ctx);
    await pollCustomers(ctx);
    await drain(queued);
  }

  async function pollOrders(streams: (TOrderStream | "parts")[], now = later()) {
    const queued = queue();
    const ctx = { connection, plex: plexClient, prisma, log, now, enqueue: enqueueInto(queued) };
    const results: (TPollResult | TOrderPollResult)[] = [];
    for (const stream of streams) {
      results.push(
        stream === "parts"
          ? await pollParts(ctx)
          : await pollOrderStream(ctx, stream, { readsPerRun: 10_000 }),
      );
    }

    return { queued, results };
  }

  function store() {
    return mailchimp
      .account(mailchimp.defaults!.accountId)
      .stores.get(mailchimp.defaults!.storeId)!;
  }

  async function orderStatuses() {
    const rows = await prisma.syncRecord.findMany({
      where: { connectionId: connection.id, entity: "order" },
      select: { externalId: true, status: true, reason: true, parentId: true },
    });

    return new Map(rows.map((row) => [row.externalId, row]));
  }

  const truths = new Map<string, TTruth>();
  async function truthOf(orderId: string): Promise<TTruth> {
    if (!truths.has(orderId)) truths.set(orderId, await plexTruth(truthClient, orderId));

    return truths.get(orderId)!;
  }

  it(
    "backfills orders with the totals and lines Plex has, reading no order lines at all",
    { timeout: 180_000 },
    async () => {
      await syncCustomers();
      const callsBefore = plexClient.calls;
      const { queued, results } = await pollOrders(["parts", ...ALL_STREAMS]);
      const plexCalls = plexClient.calls - callsBefore;
      await drain(queued);

      const plexOrders = (await truthClient.list("/sales/v1/orders")) as { id: string }[];
      expect(plexOrders.length).toBeGreaterThan(CUSTOMERS);
      const assembly = results.flatMap((result) => ("assembly" in result ? [result.assembly] : []));
      expect(assembly.reduce((sum, run) => sum + run.linesRead, 0)).toBe(0);
      expect(assembly.reduce((sum, run) => sum + run.waiting, 0)).toBe(0);
      // One call per date window (and per split one), one parts pull, and one price read per
      // line nothing has billed yet: no per-order reads.
      const pricesRead = assembly.reduce((sum, run) => sum + run.pricesRead, 0);
      const windowCalls = results.reduce(
        (sum, result) => sum + result.windows + ("splits" in result ? result.splits : 0),
        0,
      );
      expect(plexCalls).toBe(windowCalls + pricesRead);

      const statuses = await orderStatuses();
      expect(statuses.size).toBe(plexOrders.length);
      const mailchimpOrders = store().orders;
      let checked = 0;
      for (const plexOrder of plexOrders) {
        const status = statuses.get(plexOrder.id)!;
        expect(["delivered", "rejected"]).toContain(status.status);
        const truth = await truthOf(plexOrder.id);
        const sent = mailchimpOrders.get(plexOrder.id);
        if (truth.cancelled) {
          expect(sent, `cancelled order ${plexOrder.id}`).toBeUndefined();
          continue;
        }
        if (status.status === "rejected") {
          // The plant's messy customers: no member, so the order waits for its customer.
          expect(status.reason).toMatch(/^CUSTOMER_NOT_SYNCED: /);
          expect(sent).toBeUndefined();
          continue;
        }
        expect(sent, `order ${plexOrder.id}`).toBeDefined();
        expect(sent!.order_total).toBeCloseTo(truth.total, 2);
        expect(
          sent!.lines.map((line) => `${line.product_id}×${line.quantity}@${line.price}`).sort(),
        ).toEqual(
          truth.lines.map((line) => `${line.partId}×${line.quantity}@${line.price}`).sort(),
        );
        expect(sent!.fulfillment_status).toBe(truth.fulfillment);
        expect(sent!.financial_status).toBe(truth.financial);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(plexOrders.length / 3);
      const rejectedAudit = await prisma.auditEvent.count({
        where: { connectionId: connection.id, entity: "order", stage: "rejected" },
      });
      expect(rejectedAudit).toBeGreaterThan(0);
    },
  );

  it("sends nothing to Mailchimp when nothing changed in Plex", async () => {
    const before = mailchimpClient.calls;
    const plexBefore = plexClient.calls;

    const { queued } = await pollOrders(ALL_STREAMS);
    await drain(queued);

    expect(mailchimpClient.calls - before).toBe(0);
    expect(plexClient.calls - plexBefore).toBeLessThanOrEqual(ALL_STREAMS.length);
  });

  it("fills each member's order history merge fields and category tags", async () => {
    const links = await prisma.identityLink.findMany({
      where: { connectionId: connection.id, deliveredAt: { not: null }, plexContactId: null },
    });
    const statuses = await orderStatuses();
    const byCustomer = new Map<string, string[]>();
    for (const [orderId, status] of statuses) {
      if (status.parentId === null) continue;
      byCustomer.set(status.parentId, [...(byCustomer.get(status.parentId) ?? []), orderId]);
    }
    const list = mailchimp.list(mailchimp.defaults!.accountId, mailchimp.defaults!.listId);
    let compared = 0;
    for (const link of links) {
      const orderIds = byCustomer.get(link.plexCustomerId) ?? [];
      const live = [];
      for (const orderId of orderIds) {
        const truth = await truthOf(orderId);
        if (!truth.cancelled) live.push(truth);
      }
      if (live.length < 2) continue;
      const member = list.members.get(link.subscriberHash!)!;
      const fields = member.merge_fields;
      expect(fields.ORDERCOUNT).toBe(live.length);
      const revenue = live.reduce((sum, truth) => sum + truth.total, 0);
      expect(Number(fields.REVENUE)).toBeCloseTo(revenue, 1);
      const last = live
        .map((truth) => truth.orderDate)
        .sort()
        .at(-1)!;
      expect(fields.LASTORDER).toBe(last.slice(0, 10));
      const categories = [...new Set(live.flatMap((truth) => truth.categories))].sort();
      expect((fields.CATEGORIES as string).split("; ").sort()).toEqual(categories);
      expect([...member.tags.keys()].some((tagName) => tagName.startsWith("plex:category:"))).toBe(
        true,
      );
      const customer = store().customers.get(link.plexCustomerId);
      expect(customer?.orders_count).toBe(live.length);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(3);
  });

  it(
    "moves an order from pending to partially shipped to shipped, then paid, one poll each",
    { timeout: 60_000 },
    async () => {
      const link = await prisma.identityLink.findFirstOrThrow({
        where: { connectionId: connection.id, deliveredAt: { not: null }, plexContactId: null },
      });
      const parts = (await truthClient.list("/mdm/v1/parts")) as { id: string }[];
      const created = plex.mutations.createOrder({
        customerId: link.plexCustomerId,
        lines: [
          { partId: parts[3]!.id, quantity: 12, price: 19.5 },
          { partId: parts[7]!.id, quantity: 5, price: 101.25 },
        ],
      });
      const orderId = String(created.order.id);
      const releaseIds = created.releases.map((release) => String(release.id));

      let step = await pollOrders(ALL_STREAMS);
      await drain(step.queued);
      let sent = store().orders.get(orderId)!;
      expect(sent.order_total).toBeCloseTo(12 * 19.5 + 5 * 101.25, 2);
      expect([sent.financial_status, sent.fulfillment_status]).toEqual(["pending", "pending"]);

      plex.mutations.shipRelease(releaseIds[0]!, { trackingNumber: "1ZFIRSTWAVE0001" });
      step = await pollOrders(["releases"]);
      await drain(step.queued);
      sent = store().orders.get(orderId)!;
      expect(sent.fulfillment_status).toBe("partially_shipped");

      const second = plex.mutations.shipRelease(releaseIds[1]!, {
        trackingNumber: "1ZSECONDWAVE002",
        carrierIndex: 0,
      });
      step = await pollOrders(["releases"]);
      await drain(step.queued);
      sent = store().orders.get(orderId)!;
      expect(sent.fulfillment_status).toBe("shipped");
      step = await pollOrders(["shippers", "invoices"]);
      await drain(step.queued);
      sent = store().orders.get(orderId)!;
      expect(sent.tracking_number).toBe("1ZSECONDWAVE002");
      expect(sent.tracking_carrier).toBeTruthy();
      expect(sent.tracking_carrier).not.toBe(second.shipper.carrierId);
      expect(sent.financial_status).toBe("pending");

      for (const invoice of (await truthClient.list("/accounting/v1/ar-invoices", {
        query: { customerPONo: String(created.order.poNumber) },
      })) as { id: string }[]) {
        plex.mutations.payInvoice(invoice.id);
      }
      step = await pollOrders(["invoices"]);
      await drain(step.queued);
      expect(store().orders.get(orderId)!.financial_status).toBe("paid");
      const trail = await prisma.auditEvent.findMany({
        where: {
          connectionId: connection.id,
          entity: "order",
          externalId: orderId,
          stage: "delivered",
        },
        orderBy: { id: "asc" },
      });
      expect(trail.map((event) => (event.detail as { fulfillment?: string }).fulfillment)).toEqual([
        "pending",
        "partially_shipped",
        "shipped",
        "shipped",
        "shipped",
      ]);
    },
  );

  it("refuses an order whose customer has no member, and sends it once the customer has one", async () => {
    const customer = plex.mutations.createCustomer({ name: "Late Identity Tooling" });
    const parts = (await truthClient.list("/mdm/v1/parts")) as { id: string }[];
    const created = plex.mutations.createOrder({
      customerId: String(customer.id),
      lines: [{ partId: parts[11]!.id, quantity: 3, price: 42 }],
    });
    const orderId = String(created.order.id);
    await syncCustomers();
    let step = await pollOrders(ALL_STREAMS);
    await drain(step.queued);

    const refused = (await orderStatuses()).get(orderId)!;
    expect(refused.status).toBe("rejected");
    expect(refused.reason).toMatch(/^CUSTOMER_NOT_SYNCED: .*no member in Mailchimp yet/);
    expect(store().orders.has(orderId)).toBe(false);

    plex.mutations.update("customer", String(customer.id), { email: "buyer@late-identity.io" });
    await syncCustomers();
    step = await pollOrders(["orders"]);
    await drain(step.queued);

    expect((await orderStatuses()).get(orderId)!.status).toBe("delivered");
    expect(store().orders.get(orderId)!.order_total).toBeCloseTo(126, 2);
  });

  it("turns a POST answered 'exists' into a PATCH, in direct sends and in /batches", async () => {
    const delivered = [...(await orderStatuses()).values()]
      .filter((status) => status.status === "delivered" && store().orders.has(status.externalId))
      .slice(0, 8)
      .map((status) => status.externalId);
    // As if the answers to the first sends were lost: the connector does not know they landed.
    await bulkSql(prisma).query(
      `UPDATE ecommerce_orders SET created = false, sent_hash = NULL
       WHERE connection_id = $1 AND order_id = ANY($2::text[])`,
      [connection.id, delivered],
    );
    const ordersBefore = store().orders.size;
    const queued = queue();
    for (const id of delivered.slice(0, 4)) queued.get("order")!.add(id);
    await drain(queued);
    for (const id of delivered.slice(4)) queued.get("order")!.add(id);
    await drain(queued, { batchThreshold: 0 });

    expect(store().orders.size).toBe(ordersBefore);
    const states = await prisma.ecommerceOrder.findMany({
      where: { connectionId: connection.id, orderId: { in: delivered } },
    });
    expect(states.every((state) => state.created && state.sentHash !== null)).toBe(true);
    expect((await orderStatuses()).get(delivered[7]!)!.status).toBe("delivered");
  });
});
