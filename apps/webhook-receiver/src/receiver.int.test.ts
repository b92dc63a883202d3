import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient, bulkSql } from "@ml-connector/db";
import {
  InboxWriter,
  WebhookEndpointCache,
  WebhookIntake,
  mandrillSignature,
  requeuePendingInbox,
} from "@ml-connector/engagement";
import { createProducer } from "@ml-connector/queues";
import { createLogger } from "@ml-connector/runtime";

import {
  REDIS_URL,
  startReceiverHarness,
  subscribeForm,
  type TReceiverHarness,
} from "./test-support/receiver.harness.js";

const FORM = "application/x-www-form-urlencoded";

describe("the webhook receiver over real HTTP, Postgres and Redis", () => {
  let harness: TReceiverHarness;
  let connection: { id: string; secret: string };
  const mandrillKey = "mandrill-test-key-0123456789";

  beforeAll(async () => {
    harness = await startReceiverHarness();
    connection = await harness.connection({ mandrillKey });
  });

  afterAll(async () => {
    await harness.close();
  });

  const mailchimpUrl = (id = connection.id, secret = connection.secret) =>
    `${harness.url}/webhooks/mailchimp/${id}/${secret}`;

  function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
    return fetch(url, { method: "POST", headers: { "content-type": FORM, ...headers }, body });
  }

  it("answers Mailchimp's validation GET and an empty POST with 200 and stores nothing", async () => {
    expect((await fetch(mailchimpUrl())).status).toBe(200);
    expect((await fetch(mailchimpUrl(), { method: "HEAD" })).status).toBe(200);
    expect((await fetch(mailchimpUrl(), { method: "POST" })).status).toBe(200);
    expect(await harness.inboxRows(connection.id)).toBe(0);
  });

  it("answers 404 for an unknown connection or a wrong secret, whatever the method", async () => {
    expect((await fetch(mailchimpUrl(connection.id, "wrong-secret"))).status).toBe(404);
    expect((await post(mailchimpUrl(connection.id, "x"), subscribeForm("a@acme.com"))).status).toBe(
      404,
    );
    expect((await fetch(mailchimpUrl("no-such-connection"))).status).toBe(404);
    expect((await fetch(mailchimpUrl("Not_A_Valid_Id!"))).status).toBe(404);
    expect((await fetch(`${harness.url}/webhooks/elsewhere`)).status).toBe(404);
  });

  it("stores a delivery before answering, queues it, and answers a retry 200 without a second row", async () => {
    const body = subscribeForm("ada@acme-industrial.com");
    const first = await post(mailchimpUrl(), body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: "stored" });

    const rows = await harness.prisma.webhookInbox.findMany({
      where: { connectionId: connection.id },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.eventType).toBe("subscribe");
    expect(rows[0]!.status).toBe("pending");
    expect(rows[0]!.firedAt?.toISOString()).toBe("2026-12-03T10:15:02.000Z");
    expect(rows[0]!.payload).toMatchObject({
      data: { merges: { ADDRESS: { addr1: "1 Main St", city: "Detroit" }, FNAME: "Ada" } },
    });

    // Same content, other field order and encoding: the same delivery.
    const reordered = body.split("&").reverse().join("&").replace("Ada", "%41da");
    const retry = await post(mailchimpUrl(), reordered);
    expect(await retry.json()).toEqual({ status: "duplicate" });
    expect(await harness.inboxRows(connection.id)).toBe(1);

    await harness.receiver.dispatcher.settled();
    const jobs = await harness.producer.queue.getJobs(["waiting", "delayed"]);
    const queued = jobs.flatMap((job) => (job.data as { inboxIds: string[] }).inboxIds);
    expect(queued).toContain(rows[0]!.id.toString());
  });

  it("group-commits concurrent deliveries: fewer INSERTs than requests, every 2xx a row", async () => {
    const before = await harness.inboxRows(connection.id);
    const flushesBefore = harness.receiver.inbox.stats.flushes;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        post(mailchimpUrl(), subscribeForm(`burst-${index}@acme-industrial.com`)),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await harness.inboxRows(connection.id)).toBe(before + 200);
    expect(harness.receiver.inbox.stats.flushes - flushesBefore).toBeLessThan(200);
  });

  it("answers bad input with 415, 413 and 400 and stores none of it", async () => {
    const before = await harness.inboxRows(connection.id);
    const body = subscribeForm("grace@acme-industrial.com");
    expect((await post(mailchimpUrl(), body, { "content-type": "application/json" })).status).toBe(
      415,
    );
    expect(
      (await post(mailchimpUrl(), body, { "content-type": `${FORM}; charset=latin1` })).status,
    ).toBe(415);
    expect((await post(mailchimpUrl(), `${body}&pad=${"x".repeat(70_000)}`)).status).toBe(413);
    expect((await post(mailchimpUrl(), "type=subscribe&fired_at=nope")).status).toBe(400);
    expect((await post(mailchimpUrl(), `${body}&data[email]=other@acme.com`)).status).toBe(400);
    expect((await post(mailchimpUrl(), Buffer.from([0x74, 0x3d, 0xff, 0xfe]))).status).toBe(400);
    expect((await post(mailchimpUrl(), body, { "content-encoding": "gzip" })).status).toBe(400);
    expect((await fetch(mailchimpUrl(), { method: "PUT" })).status).toBe(405);
    expect(await harness.inboxRows(connection.id)).toBe(before);
  });

  it("answers 410 only for a connection that was deliberately deleted", async () => {
    const doomed = await harness.connection();
    expect((await fetch(mailchimpUrl(doomed.id, doomed.secret))).status).toBe(200);
    await harness.connections.delete(doomed.id);
    harness.receiver.endpoints.invalidate(doomed.id);
    expect(
      (await post(mailchimpUrl(doomed.id, doomed.secret), subscribeForm("x@acme.com"))).status,
    ).toBe(410);
  });

  describe("Mandrill", () => {
    const mandrillPath = () => `/webhooks/mandrill/${connection.id}`;
    const events = JSON.stringify([
      {
        event: "open",
        ts: 1_764_756_000,
        _id: "m1",
        msg: { _id: "m1", email: "ada@acme-industrial.com", subject: "Shipped" },
      },
      {
        event: "click",
        ts: 1_764_756_060,
        _id: "m1",
        url: "https://example.com/t",
        msg: { _id: "m1", email: "ada@acme-industrial.com", subject: "Shipped" },
      },
    ]);

    function postMandrill(signature: string, fields = events) {
      return post(
        `${harness.url}${mandrillPath()}`,
        new URLSearchParams({ mandrill_events: fields }).toString(),
        {
          "x-mandrill-signature": signature,
        },
      );
    }

    it("stores each event of a correctly signed POST, once", async () => {
      const signature = mandrillSignature(mandrillKey, `${harness.publicUrl}${mandrillPath()}`, [
        ["mandrill_events", events],
      ]);
      const res = await postMandrill(signature);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "stored", events: 2, duplicates: 0 });
      expect(await (await postMandrill(signature)).json()).toEqual({
        status: "stored",
        events: 0,
        duplicates: 2,
      });
      const rows = await harness.prisma.webhookInbox.findMany({
        where: { connectionId: connection.id, source: "mandrill" },
      });
      expect(rows.map((row) => row.eventType).sort()).toEqual(["click", "open"]);
    });

    it("refuses a bad or missing signature with 401 and stores nothing", async () => {
      const before = await harness.inboxRows(connection.id);
      const wrongUrl = mandrillSignature(mandrillKey, `http://127.0.0.1${mandrillPath()}`, [
        ["mandrill_events", events],
      ]);
      expect((await postMandrill(wrongUrl)).status).toBe(401);
      expect((await postMandrill("9mW/7eb8+Fq8Y3Y21agOGESTNoA=")).status).toBe(401);
      const noHeader = await post(
        `${harness.url}${mandrillPath()}`,
        `mandrill_events=${encodeURIComponent(events)}`,
      );
      expect(noHeader.status).toBe(401);
      expect(await harness.inboxRows(connection.id)).toBe(before);
    });

    it("refuses malformed events with a good signature with 400, and answers 404 without a key", async () => {
      const bad = '[{"event":"open"}]';
      const signature = mandrillSignature(mandrillKey, `${harness.publicUrl}${mandrillPath()}`, [
        ["mandrill_events", bad],
      ]);
      expect((await postMandrill(signature, bad)).status).toBe(400);
      const keyless = await harness.connection();
      expect(
        (await fetch(`${harness.url}/webhooks/mandrill/${keyless.id}`, { method: "HEAD" })).status,
      ).toBe(404);
    });
  });

  it("answers 503 when Postgres cannot take the delivery, so Mailchimp retries", async () => {
    const log = createLogger({ service: "test", level: "silent" });
    const deadPrisma = createPrismaClient({
      databaseUrl: "postgresql://postgres@127.0.0.1:1/mlc_test",
      poolMax: 1,
    });
    const intake = new WebhookIntake({
      endpoints: new WebhookEndpointCache(harness.prisma, harness.vault),
      inbox: new InboxWriter(bulkSql(deadPrisma)),
      publicUrl: harness.publicUrl,
      log,
    });
    expect(await intake.checkMailchimpRoute(connection.id, connection.secret)).toBeUndefined();
    const answer = await intake.receiveMailchimp(connection.id, subscribeForm("down@acme.com"));
    expect(answer.status).toBe(503);
    await deadPrisma.$disconnect();
  });

  it("keeps answering 200 while Redis is down; the sweeper queues the rows afterwards", async () => {
    const log = createLogger({ service: "test", level: "silent" });
    const deadRedis = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    deadRedis.on("error", () => undefined);
    const { InboxDispatcher } = await import("@ml-connector/engagement");
    const dispatcher = new InboxDispatcher(
      createProducer("webhookEvent", deadRedis, harness.prefix),
      log,
    );
    const intake = new WebhookIntake({
      endpoints: new WebhookEndpointCache(harness.prisma, harness.vault),
      inbox: new InboxWriter(bulkSql(harness.prisma), {
        onStored: (rows) => dispatcher.dispatch(rows),
      }),
      publicUrl: harness.publicUrl,
      log,
    });
    const answer = await intake.receiveMailchimp(
      connection.id,
      subscribeForm("redis-down@acme.com"),
    );
    expect(answer).toEqual({ status: 200, body: { status: "stored" } });
    await dispatcher.settled();
    expect(dispatcher.stats.failedRows).toBe(1);

    const live = createProducer("webhookEvent", new Redis(REDIS_URL), `${harness.prefix}-sweep`);
    const requeued = await requeuePendingInbox(harness.prisma, live, { olderThanMs: 0 });
    expect(requeued).toBeGreaterThanOrEqual(1);
    const jobs = await live.queue.getJobs(["waiting"]);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    await live.queue.obliterate({ force: true });
    await live.close();
    deadRedis.disconnect();
  });
});
