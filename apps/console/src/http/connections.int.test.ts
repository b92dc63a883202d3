import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  DEFAULT_OAUTH_CLIENT_ID,
  DEFAULT_OAUTH_CLIENT_SECRET,
  startMailchimpSandbox,
  type SandboxHandle,
} from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";

import { startConsoleForTest } from "./console-test.harness.js";

type TView = { id: string; mailchimp: { authScheme: string; dc: string | null } };

describe("the console's connection API", () => {
  let harness: Awaited<ReturnType<typeof startConsoleForTest>>;
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  const created: string[] = [];

  beforeAll(async () => {
    plex = await startPlexSandbox({ customers: 10, latency: { baseMs: 0, perRowMs: 0 } });
    mailchimp = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
    harness = await startConsoleForTest({
      mailchimpOAuthApp: {
        clientId: DEFAULT_OAUTH_CLIENT_ID,
        clientSecret: DEFAULT_OAUTH_CLIENT_SECRET,
        redirectUri: "http://127.0.0.1/oauth/mailchimp/callback",
      },
    });
  });

  afterAll(async () => {
    await harness.prisma.connection.deleteMany({ where: { id: { in: created } } });
    await Promise.all([harness.close(), plex.close(), mailchimp.close()]);
  });

  function body(id: string, mailchimpAuth: Record<string, string>) {
    created.push(id);

    return {
      id,
      name: "Plant API test",
      timezone: "Europe/Berlin",
      plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: plex.apiKey } },
      mailchimp: {
        apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
        loginBaseUrl: mailchimp.loginUrl,
        listId: mailchimp.defaults!.listId,
        auth: mailchimpAuth,
      },
    };
  }

  it("creates, lists, tests, changes and deletes a connection", async () => {
    const id = `api-${randomUUID().slice(0, 8)}`;
    const apiKey = mailchimp.defaults!.apiKey;

    const create = await harness.api(
      "POST",
      "/api/connections",
      body(id, { scheme: "api_key", apiKey }),
    );
    expect(create.status).toBe(201);
    expect(JSON.stringify(create.body)).not.toContain(apiKey);

    const list = await harness.api("GET", "/api/connections");
    expect((list.body as { connections: TView[] }).connections.map((c) => c.id)).toContain(id);

    const test = await harness.api("POST", `/api/connections/${id}/test`);
    expect(test.body).toMatchObject({ ok: true, plex: { ok: true }, mailchimp: { ok: true } });

    const patch = await harness.api("PATCH", `/api/connections/${id}`, { name: "Renamed" });
    expect(patch.body).toMatchObject({ id, name: "Renamed" });

    expect((await harness.api("DELETE", `/api/connections/${id}`)).status).toBe(204);
    expect((await harness.api("GET", `/api/connections/${id}`)).status).toBe(404);
    expect(harness.logs()).not.toContain(apiKey);
  });

  it("answers bad input with 4xx and the problems, never 5xx", async () => {
    const invalid = await harness.api("POST", "/api/connections", { name: "" });
    const broken = await fetch(`${harness.base}/api/connections`, {
      method: "POST",
      headers: { authorization: harness.basic, "content-type": "application/json" },
      body: "{not json",
    });
    const duplicateId = `api-${randomUUID().slice(0, 8)}`;
    const apiKey = mailchimp.defaults!.apiKey;
    await harness.api("POST", "/api/connections", body(duplicateId, { scheme: "api_key", apiKey }));
    const duplicate = await harness.api(
      "POST",
      "/api/connections",
      body(duplicateId, { scheme: "api_key", apiKey }),
    );
    const missing = await harness.api("PATCH", "/api/connections/nope", { name: "x" });

    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain("plex");
    expect(broken.status).toBe(400);
    expect(duplicate.status).toBe(409);
    expect(missing.status).toBe(404);
  });

  it("connects Mailchimp through OAuth: authorize, callback, token in the vault, data center", async () => {
    const id = `oauth-${randomUUID().slice(0, 8)}`;
    await harness.api("POST", "/api/connections", body(id, { scheme: "oauth" }));

    const start = await fetch(`${harness.base}/connections/${id}/mailchimp/connect`, {
      headers: { authorization: harness.basic },
      redirect: "manual",
    });
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.pathname).toBe("/login/oauth2/authorize");

    // The sandbox approves at once and sends the browser back with a code and the state.
    const approved = await fetch(authorize, { redirect: "manual" });
    const callback = new URL(approved.headers.get("location")!);
    expect(callback.searchParams.get("code")).toBeTruthy();
    const finish = await fetch(`${harness.base}/oauth/mailchimp/callback${callback.search}`, {
      headers: { authorization: harness.basic },
    });

    expect(finish.status).toBe(200);
    const view = (await harness.api("GET", `/api/connections/${id}`)).body as TView;
    expect(view.mailchimp).toMatchObject({ authScheme: "oauth", dc: "us21" });
    const test = await harness.api("POST", `/api/connections/${id}/test`);
    expect(test.body).toMatchObject({ mailchimp: { ok: true } });
  });

  it("refuses a forged OAuth state", async () => {
    const res = await fetch(`${harness.base}/oauth/mailchimp/callback?code=abc&state=forged.sig`, {
      headers: { authorization: harness.basic },
    });

    expect(res.status).toBe(400);
  });
});
