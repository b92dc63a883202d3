import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { OPERATOR_PASSWORD as PASSWORD, startConsoleForTest } from "./console-test.harness.js";

describe("console authentication", () => {
  let harness: Awaited<ReturnType<typeof startConsoleForTest>>;
  let base: string;

  beforeAll(async () => {
    harness = await startConsoleForTest();
    base = harness.base;
  });

  afterAll(async () => {
    await harness.close();
  });

  it("sends an anonymous browser to the login page and refuses an anonymous API call", async () => {
    const page = await fetch(`${base}/admin/queues`, {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    const api = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { accept: "application/json" },
    });

    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login?next=%2Fadmin%2Fqueues");
    expect(api.status).toBe(401);
  });

  it("refuses a wrong password and keeps the operator on the form", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      body: new URLSearchParams({ username: "admin", password: "guess", next: "/" }),
      redirect: "manual",
    });

    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("Wrong user name or password.");
  });

  it("logs in with the form, then serves Bull Board with the session cookie", async () => {
    const login = await fetch(`${base}/login`, {
      method: "POST",
      body: new URLSearchParams({ username: "admin", password: PASSWORD, next: "/admin/queues" }),
      redirect: "manual",
    });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/admin/queues");
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).toMatch(/^mlc_session=/);

    const board = await fetch(`${base}/admin/queues/api/queues`, { headers: { cookie } });
    expect(board.status).toBe(200);
    const body = (await board.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((entry) => entry.name)).toEqual(["plex-poll"]);
    expect(body.queues[0]?.readOnlyMode).toBe(true);
  });

  it("accepts HTTP Basic credentials from scripts, and rejects a forged cookie", async () => {
    const basic = Buffer.from(`admin:${PASSWORD}`).toString("base64");
    const withBasic = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { authorization: `Basic ${basic}` },
    });
    const forged = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { cookie: "mlc_session=eyJ1c2VyIjoiYWRtaW4ifQ.forged", accept: "application/json" },
    });

    expect(withBasic.status).toBe(200);
    expect(forged.status).toBe(401);
  });

  it("never redirects to another site after login", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      body: new URLSearchParams({ username: "admin", password: PASSWORD, next: "//evil.example" }),
      redirect: "manual",
    });

    expect(res.headers.get("location")).toBe("/");
  });
});
