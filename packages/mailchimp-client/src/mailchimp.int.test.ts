import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";

import { batchSubscribe, upsertMember } from "./audience.api.js";
import { createBatch, readBatchResults, waitForBatch } from "./batches.api.js";
import { MailchimpConnectionSemaphore } from "./connection-semaphore.js";
import { accountIdentity, subscriberHash } from "./mailchimp-auth.js";
import { MailchimpApiError } from "./mailchimp-errors.js";
import { MailchimpClient } from "./mailchimp.client.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("the Mailchimp client against the Mailchimp sandbox", () => {
  let sandbox: SandboxHandle;
  let accountId: string;
  let apiKey: string;
  let listId: string;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
    const created = sandbox.createAccount({ dc: "us19" });
    accountId = created.account.id;
    apiKey = created.apiKey;
    listId = sandbox.createList(accountId, { name: "Client tests" }).id;
  });
  beforeEach(() => {
    sandbox.configure({
      latency: { perRequestMs: 0 },
      connections: { overloadResponse: "429", maxPerAccount: 10 },
    });
    sandbox.resetStats();
  });
  afterAll(async () => {
    await sandbox.close();
    await redis.quit();
  });

  function client(overrides: Partial<ConstructorParameters<typeof MailchimpClient>[0]> = {}) {
    return new MailchimpClient({
      auth: { scheme: "api_key", apiKey },
      apiBaseTemplate: `${sandbox.url}/{dc}/3.0`,
      ...overrides,
    });
  }

  it("routes to the key's data center and upserts a member by its hash", async () => {
    const mailchimp = client();
    const email = `Jane.${randomUUID().slice(0, 6)}@Acme-Industrial.com`;

    const pong = await mailchimp.ping();
    const member = await upsertMember(mailchimp, listId, subscriberHash(email), {
      email_address: email,
      status_if_new: "subscribed",
      merge_fields: { FNAME: "Jane" },
    });

    expect(mailchimp.baseUrl).toBe(`${sandbox.url}/us19/3.0`);
    expect(pong.health_status).toBeTruthy();
    expect(member.id).toBe(subscriberHash(email));
  });

  it("is refused when the key goes to another data center", async () => {
    const wrong = client({
      auth: { scheme: "api_key", apiKey: `${apiKey.slice(0, apiKey.lastIndexOf("-"))}-us2` },
    });

    const error = await wrong.ping().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(MailchimpApiError);
    expect((error as MailchimpApiError).kind).toBe("auth");
    expect(wrong.calls).toBe(1);
  });

  it("keeps 40 concurrent requests of two replicas under the account's cap: no 429", async () => {
    sandbox.configure({ latency: { perRequestMs: 30 } });
    const identity = accountIdentity({ scheme: "api_key", apiKey });
    const prefix = `mlc-test-${randomUUID().slice(0, 6)}`;
    const replicas = [0, 1].map(() =>
      client({
        semaphore: new MailchimpConnectionSemaphore({
          redis,
          accountIdentity: identity,
          prefix,
          maxInFlight: 8,
        }),
      }),
    );

    await Promise.all(Array.from({ length: 40 }, (_, index) => replicas[index % 2]!.ping()));

    const stats = sandbox.accountStats(accountId);
    expect(stats.rejectedTooMany).toBe(0);
    expect(stats.peakInFlight).toBeLessThanOrEqual(8);
    expect(stats.peakInFlight).toBeGreaterThanOrEqual(4);
  });

  it.each(["429", "403"] as const)(
    "retries %s answers past the cap until every request succeeds",
    async (overloadResponse) => {
      sandbox.configure({ latency: { perRequestMs: 40 }, connections: { overloadResponse } });
      const mailchimp = client({ maxAttempts: 10 });

      await Promise.all(Array.from({ length: 16 }, () => mailchimp.ping()));

      const stats = sandbox.accountStats(accountId);
      const refused = overloadResponse === "429" ? stats.rejectedTooMany : stats.rejectedForbidden;
      expect(refused).toBeGreaterThan(0);
      expect(mailchimp.calls).toBe(16 + refused);
    },
  );

  it("reports per-member errors of a batch subscribe inside a 200", async () => {
    const result = await batchSubscribe(
      client(),
      listId,
      [
        {
          email_address: `ok.${randomUUID().slice(0, 6)}@acme-industrial.com`,
          status: "subscribed",
        },
        { email_address: "not-an-email", status: "subscribed" },
      ],
      true,
    );

    expect(result.new_members.length).toBe(1);
    expect(result.error_count).toBe(1);
    expect(result.errors[0]?.email_address).toBe("not-an-email");
  });

  it("runs a /batches job and reads its gzipped tar of results", async () => {
    const mailchimp = client();
    const emails = Array.from(
      { length: 12 },
      (_, index) => `batch${index}.${randomUUID().slice(0, 4)}@acme-industrial.com`,
    );
    const operations = emails.map((email, index) => ({
      method: "PUT" as const,
      path: `/lists/${listId}/members/${subscriberHash(email)}`,
      operation_id: `op-${index}`,
      body: JSON.stringify({ email_address: email, status_if_new: "subscribed" }),
    }));

    const batch = await createBatch(mailchimp, operations);
    const finished = await waitForBatch(mailchimp, batch.id, { pollMs: 50 });
    const results = await readBatchResults(finished.response_body_url!);

    expect(finished.total_operations).toBe(12);
    expect(results.map((result) => result.operationId).sort()).toEqual(
      operations.map((operation) => operation.operation_id).sort(),
    );
    expect(results.every((result) => result.statusCode === 200)).toBe(true);
    expect(results[0]?.response).toMatchObject({ status: "subscribed" });
  });
});
