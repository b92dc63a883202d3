/**
 * Data-center routing, authentication and request validation as Mailchimp answers them
 * (reference/mailchimp-api.md §1): a key used at another data center is refused with 401 "API
 * Key Invalid" (403 "Wrong Datacenter" when configured); bodies that break the official schema
 * get 400 "Invalid Resource" with `errors[]`; malformed JSON gets "JSON Parse Error".
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient, basicAuth } from "../test-support/api-client.js";

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
});

afterAll(async () => {
  await sandbox.close();
});

const raw = () => axios.create({ validateStatus: () => true });

describe("data centers and credentials", () => {
  it("serves an account under its own data center's base path", async () => {
    const eu = sandbox.createAccount({ dc: "eu1" });
    const response = await apiClient(sandbox, { apiKey: eu.apiKey }).get("/ping");

    expect(eu.apiKey).toMatch(/^[0-9a-f]{32}-eu1$/);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ health_status: "Everything's Chimpy!" });
  });

  it("refuses a key sent to the wrong data center with 401 API Key Invalid", async () => {
    const response = await apiClient(sandbox, { dc: "us6" }).get("/ping");

    expect(response.status).toBe(401);
    expect(response.data).toMatchObject({
      type: "https://mailchimp.com/developer/marketing/docs/errors/",
      title: "API Key Invalid",
      status: 401,
      detail: "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
    });
    expect(typeof (response.data as { instance: unknown }).instance).toBe("string");
  });

  it("answers 403 Wrong Datacenter instead when configured", async () => {
    sandbox.configure({ wrongDataCenterStatus: "403" });
    try {
      const response = await apiClient(sandbox, { dc: "us6" }).get("/ping");

      expect(response.status).toBe(403);
      expect(response.data).toMatchObject({
        title: "Wrong Datacenter",
        detail: "The API key provided is linked to a different data center.",
      });
    } finally {
      sandbox.configure({ wrongDataCenterStatus: "401" });
    }
  });

  it("answers API Key Missing without a key, API Key Invalid for an unknown one", async () => {
    const base = sandbox.baseUrlFor("us21");
    const missing = await raw().get(`${base}/ping`);
    const unknown = await raw().get(`${base}/ping`, {
      headers: { authorization: basicAuth("0123456789abcdef0123456789abcdef-us21") },
    });

    expect(missing.status).toBe(401);
    expect(missing.data).toMatchObject({
      title: "API Key Missing",
      detail: "Your request did not include an API key.",
    });
    expect(unknown.status).toBe(401);
    expect(unknown.data).toMatchObject({ title: "API Key Invalid" });
  });

  it("accepts any Basic user name with the key as password, and the apikey scheme", async () => {
    const base = sandbox.baseUrlFor("us21");
    const apiKey = sandbox.defaults?.apiKey ?? "";
    const other = `Basic ${Buffer.from(`whoever:${apiKey}`).toString("base64")}`;

    expect((await raw().get(`${base}/ping`, { headers: { authorization: other } })).status).toBe(
      200,
    );
    expect(
      (await raw().get(`${base}/ping`, { headers: { authorization: `apikey ${apiKey}` } })).status,
    ).toBe(200);
  });
});

describe("request validation against the official spec", () => {
  it("lists missing required fields and wrong types in errors[]", async () => {
    const listId = sandbox.defaults?.listId ?? "";
    const response = await apiClient(sandbox).put(`/lists/${listId}/members/abc`, {
      email_address: null,
    });

    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({
      title: "Invalid Resource",
      detail:
        "The resource submitted could not be validated. " +
        "For field-specific details, see the 'errors' array.",
    });
    expect((response.data as { errors: unknown[] }).errors).toEqual(
      expect.arrayContaining([
        { field: "", message: "Required fields were not provided: status_if_new" },
        { field: "email_address", message: "Schema describes string, NULL found instead" },
      ]),
    );
  });

  it("refuses an enum value the spec does not allow", async () => {
    const listId = sandbox.defaults?.listId ?? "";
    const response = await apiClient(sandbox).put(
      `/lists/${listId}/members/x@acme-industrial.com`,
      {
        email_address: "x@acme-industrial.com",
        status_if_new: "active",
      },
    );

    expect(response.status).toBe(400);
    expect((response.data as { errors: { field: string }[] }).errors[0]?.field).toBe(
      "status_if_new",
    );
  });

  it("answers malformed JSON with JSON Parse Error", async () => {
    const listId = sandbox.defaults?.listId ?? "";
    const response = await apiClient(sandbox).put(`/lists/${listId}/members/x`, "{not json", {
      headers: { "content-type": "application/json" },
      transformRequest: [(data: unknown) => data],
    });

    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({ title: "JSON Parse Error" });
  });

  it("answers 404 for unknown paths and 405 for a wrong method", async () => {
    const api = apiClient(sandbox);
    const unknown = await api.get("/no-such-resource");
    const wrongMethod = await api.delete("/ping");

    expect(unknown.status).toBe(404);
    expect(unknown.data).toMatchObject({ title: "Resource Not Found" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.data).toMatchObject({ title: "Method Not Allowed" });
    expect(wrongMethod.headers.allow).toBe("GET");
  });

  it("refuses count above 1000", async () => {
    const response = await apiClient(sandbox).get(
      `/lists/${sandbox.defaults?.listId ?? ""}/members?count=1001`,
    );

    expect(response.status).toBe(400);
    expect((response.data as { errors: { field: string }[] }).errors[0]?.field).toBe("count");
  });

  it("returns partial responses with fields and exclude_fields", async () => {
    const api = apiClient(sandbox);
    const picked = await api.get("/lists", {
      params: { fields: "lists.id,lists.name,total_items" },
    });
    const trimmed = await api.get(`/lists/${sandbox.defaults?.listId ?? ""}`, {
      params: { exclude_fields: "stats,_links,contact" },
    });

    expect(Object.keys(picked.data as object).sort()).toEqual(["lists", "total_items"]);
    expect(Object.keys((picked.data as { lists: object[] }).lists[0] ?? {}).sort()).toEqual([
      "id",
      "name",
    ]);
    expect(trimmed.data).not.toHaveProperty("stats");
    expect(trimmed.data).toHaveProperty("name");
  });
});
