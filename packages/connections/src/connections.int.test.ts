import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient, purgeConnections } from "@ml-connector/db";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";
import { MasterKeyring, createVault } from "@ml-connector/vault";

import { checkConnection } from "./connection-check.js";
import { ConnectionService, type TConnectionView } from "./connection.service.js";
import type { TConnectionInput } from "./connection.schema.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("connections against the simulators", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 4 });
  const vault = createVault({
    prisma,
    keyring: new MasterKeyring(new Map([[1, randomBytes(32)]]), 1),
  });
  const service = new ConnectionService(prisma, vault);
  const redis = new Redis(REDIS_URL);
  const deps = { vault, redis, prefix: `mlc-conn-test-${randomUUID().slice(0, 6)}` };
  const created: string[] = [];
  // Every secret a test hands over, to look for in the database dump at the end.
  const secrets = new Set<string>();
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  let mailchimpKey: string;
  let listId: string;

  beforeAll(async () => {
    plex = await startPlexSandbox({
      customers: 20,
      latency: { baseMs: 0, perRowMs: 0 },
      oauth: { enabled: true, tokenLifetimeSeconds: 60 },
    });
    mailchimp = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
    const account = mailchimp.createAccount({ dc: "us7", name: "Connection tests" });
    mailchimpKey = account.apiKey;
    listId = mailchimp.createList(account.account.id, { name: "Customers" }).id;
    secrets.add(mailchimpKey);
  });

  afterAll(async () => {
    await purgeConnections(prisma, created);
    await Promise.all([plex.close(), mailchimp.close(), redis.quit(), prisma.$disconnect()]);
  });

  function input(overrides: Partial<TConnectionInput> = {}): TConnectionInput {
    const id = `conn-test-${randomUUID().slice(0, 8)}`;
    created.push(id);
    secrets.add(plex.apiKey);

    return {
      id,
      name: "Plant 1",
      mode: "sandbox",
      timezone: "America/Detroit",
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        loginBaseUrl: mailchimp.loginUrl,
        listId,
        auth: { scheme: "api_key", apiKey: mailchimpKey },
      },
      ...overrides,
    };
  }

  async function createAndCheck(overrides: Partial<TConnectionInput> = {}) {
    const connection = await service.create(input(overrides));

    return { connection, check: await checkConnection(connection, deps) };
  }

  it("creates a connection whose view holds hints, never secrets, and passes the live test", async () => {
    const { connection, check } = await createAndCheck();

    expect(JSON.stringify(connection)).not.toContain(plex.apiKey);
    expect(JSON.stringify(connection)).not.toContain(mailchimpKey);
    expect(connection.mailchimp.dc).toBe("us7");
    expect(connection.credentials.map((credential) => credential.kind).sort()).toEqual([
      "mailchimp_api_key",
      "plex_api_key",
      "webhook_secret",
    ]);
    expect(check.plex).toMatchObject({ ok: true });
    expect(check.plex.message).toContain("1 tenant(s) visible");
    expect(check.mailchimp).toMatchObject({ ok: true });
    expect(check.mailchimp.message).toContain('audience "Customers" (us7)');
    expect(check.ok).toBe(true);
  });

  it("explains a refused Plex key in plain words", async () => {
    const { check } = await createAndCheck({
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: "not-the-key-123456" } },
    });

    expect(check.plex.ok).toBe(false);
    expect(check.plex.message).toMatch(/^The Plex key was refused: wrong key/);
    expect(check.plex.detail).toContain("401 REQUEST_NOT_AUTHENTICATED");
    expect(check.mailchimp.ok).toBe(true);
  });

  it("says so when Plex cannot be reached", async () => {
    const { check } = await createAndCheck({
      plex: {
        baseUrl: "http://127.0.0.1:9",
        auth: { scheme: "api_key", apiKey: "any-key-123456" },
      },
    });

    expect(check.plex.message).toMatch(/^Could not reach Plex at http:\/\/127\.0\.0\.1:9/);
  });

  it("says the Plex base URL is wrong when Plex answers 404", async () => {
    const { check } = await createAndCheck({
      plex: {
        baseUrl: `${plex.url}/wrong-prefix`,
        auth: { scheme: "api_key", apiKey: plex.apiKey },
      },
    });

    expect(check.plex.message).toMatch(
      /^Plex answered 404: the base URL .*wrong-prefix is probably wrong/,
    );
  });

  it("explains a used-up Plex call budget", async () => {
    plex.faults.add({
      type: "rate-limit",
      times: 2,
      retryAfterSeconds: 1,
      pathPrefix: "/mdm/v1/tenants",
    });
    const { check } = await createAndCheck();
    plex.faults.clear();

    expect(check.plex.message).toMatch(/^Plex says this key has used its call budget/);
  });

  it("says so when Mailchimp cannot be reached, or is limiting the account", async () => {
    const unreachable = await createAndCheck({
      mailchimp: {
        apiBaseTemplate: "http://127.0.0.1:9/{dc}/3.0",
        listId,
        auth: { scheme: "api_key", apiKey: mailchimpKey },
      },
    });
    mailchimp.addFault({ kind: "too-many-requests", path: "/ping", times: 2 });
    const limited = await createAndCheck();
    mailchimp.clearFaults();

    expect(unreachable.check.mailchimp.message).toMatch(/^Could not reach Mailchimp/);
    expect(limited.check.mailchimp.message).toMatch(
      /^Mailchimp is limiting this account right now/,
    );
  });

  it("works with OAuth client credentials", async () => {
    secrets.add(plex.oauthClient.clientSecret);
    const { check } = await createAndCheck({
      plex: {
        baseUrl: plex.url,
        auth: {
          scheme: "oauth_client_credentials",
          tokenUrl: plex.tokenUrl,
          clientId: plex.oauthClient.clientId,
          clientSecret: plex.oauthClient.clientSecret,
        },
      },
    });

    expect(check.plex).toMatchObject({ ok: true });
  });

  it("explains a refused OAuth client", async () => {
    const { check } = await createAndCheck({
      plex: {
        baseUrl: plex.url,
        auth: {
          scheme: "oauth_client_credentials",
          tokenUrl: plex.tokenUrl,
          clientId: plex.oauthClient.clientId,
          clientSecret: "wrong-secret-value-1234",
        },
      },
    });

    expect(check.plex.ok).toBe(false);
    expect(check.plex.message).toMatch(/^Plex refused the OAuth client/);
  });

  it.each(["soap_basic", "ux_basic"] as const)("reads a data source over %s", async (scheme) => {
    secrets.add(plex.webServiceUser.password);
    const auth =
      scheme === "soap_basic"
        ? { scheme, soapUrl: plex.soapUrl, ...plex.webServiceUser }
        : { scheme, uxBaseTemplate: `${plex.url}/ux/{pcn}`, ...plex.webServiceUser };
    const dataSources = await import("@ml-connector/plex-sandbox");
    const { check, connection } = await createAndCheck({
      plex: { baseUrl: plex.url, pcn: plex.tenant.pcn, auth },
      options: { dataSources: { customers: dataSources.CUSTOMER_LIST_DATA_SOURCE } },
    });

    expect(connection.plex.authScheme).toBe(scheme);
    expect(check.plex.ok, check.plex.message).toBe(true);
    expect(check.plex.message).toMatch(/answered with \d+ row\(s\)/);
  });

  it("refuses a data-source scheme without a PCN", async () => {
    await expect(
      service.create(
        input({
          plex: { baseUrl: plex.url, auth: { scheme: "soap_basic", username: "u", password: "p" } },
        }),
      ),
    ).rejects.toThrow("plex.pcn is required");
  });

  it("explains a Mailchimp key sent to the wrong data center", async () => {
    const wrongDc = `${mailchimpKey.slice(0, mailchimpKey.lastIndexOf("-"))}-us3`;
    const { check } = await createAndCheck({
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        listId,
        auth: { scheme: "api_key", apiKey: wrongDc },
      },
    });

    expect(check.mailchimp.ok).toBe(false);
    expect(check.mailchimp.message).toMatch(/^Mailchimp refused the key at data center us3/);
  });

  it("explains an audience that does not exist", async () => {
    const { check } = await createAndCheck({
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        listId: "doesnotexist",
        auth: { scheme: "api_key", apiKey: mailchimpKey },
      },
    });

    expect(check.mailchimp.message).toMatch(/^The Mailchimp audience doesnotexist does not exist/);
  });

  it("explains a Mailchimp key without a data center", async () => {
    await expect(
      service.create(
        input({
          mailchimp: { listId, auth: { scheme: "api_key", apiKey: "abcdef0123456789" } },
        }),
      ),
    ).rejects.toThrow(/should end like -us21/);
  });

  it("waits for the OAuth connect step before testing Mailchimp", async () => {
    const { check, connection } = await createAndCheck({
      mailchimp: { listId, auth: { scheme: "oauth" } },
    });

    expect(connection.mailchimp.authScheme).toBe("oauth");
    expect(check.mailchimp.message).toMatch(/finish the OAuth connect step/);
  });

  it("updates credentials and schemes, and forgets secrets on delete", async () => {
    const connection: TConnectionView = await service.create(input());
    const updated = await service.update(connection.id, {
      name: "Plant 1 (renamed)",
      options: { statusIfNew: "transactional" },
      plex: {
        baseUrl: plex.url,
        auth: {
          scheme: "oauth_client_credentials",
          tokenUrl: plex.tokenUrl,
          clientId: plex.oauthClient.clientId,
          clientSecret: plex.oauthClient.clientSecret,
        },
      },
    });

    expect(updated.name).toBe("Plant 1 (renamed)");
    expect(updated.options.statusIfNew).toBe("transactional");
    expect(updated.options.tagPrefix).toBe("plex:");
    expect(updated.credentials.map((credential) => credential.kind)).not.toContain("plex_api_key");
    expect((await checkConnection(updated, deps)).plex.ok).toBe(true);

    await service.delete(connection.id);

    await expect(service.get(connection.id)).rejects.toThrow("does not exist");
    expect(await vault.list(connection.id)).toEqual([]);
    expect((await service.list()).map((view) => view.id)).not.toContain(connection.id);
  });

  it("leaves no plaintext secret anywhere in the database", { timeout: 300_000 }, async () => {
    const url = new URL(DATABASE_URL);
    const needles = ["conn-test-", ...secrets];
    const found = await scanDump(
      [
        "--data-only",
        "-h",
        url.hostname,
        "-p",
        url.port || "5432",
        "-U",
        url.username || "postgres",
        url.pathname.slice(1),
      ],
      needles,
    );

    expect(found.has("conn-test-"), "the dump holds the connections this suite made").toBe(true);
    for (const secret of secrets) {
      expect(found.has(secret), "a secret was found in the database dump").toBe(false);
    }
  });
});

/**
 * Streams `pg_dump` and reports which needles occur in it, keeping only a needle-sized overlap
 * between chunks in memory, so a database of any size can be scanned.
 */
function scanDump(args: string[], needles: string[]): Promise<Set<string>> {
  const overlap = Math.max(...needles.map((needle) => needle.length));
  const found = new Set<string>();

  return new Promise((resolve, reject) => {
    const child = spawn("pg_dump", args, { stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    let errors = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const window = tail + chunk;
      for (const needle of needles) if (window.includes(needle)) found.add(needle);
      tail = window.slice(-overlap);
    });
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(found);
      else reject(new Error(`pg_dump exited ${code}: ${errors}`));
    });
  });
}
