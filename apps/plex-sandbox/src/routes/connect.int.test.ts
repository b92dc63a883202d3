/**
 * Plex Connect quirks over real HTTP: auth failures, bare arrays without paging, ignored unknown
 * parameters, date-format errors, and window filters that return exactly the records in the window.
 */
import axios, { type AxiosInstance } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPlexSandbox, type TPlexSandboxHandle } from "../plex-sandbox.js";

type TRow = Record<string, unknown> & { id: string; modifiedDate: string };

let sandbox: TPlexSandboxHandle;
let plex: AxiosInstance;

beforeAll(async () => {
  sandbox = await startPlexSandbox({
    seed: 21,
    customers: 400,
    latency: { baseMs: 0, perRowMs: 0 },
    rateLimit: { limit: 100_000 },
    apiKeys: [
      { key: "sandbox-plex-key" },
      { key: "key-with-secret-0001", secret: "the-secret" },
      { key: "mdm-only-key-000001", products: ["mdm"] },
    ],
  });
  plex = axios.create({
    baseURL: sandbox.url,
    headers: { "X-Plex-Connect-Api-Key": sandbox.apiKey },
    validateStatus: () => true,
  });
});

afterAll(async () => {
  await sandbox.close();
});

async function all(path: string): Promise<TRow[]> {
  const response = await plex.get<TRow[]>(path);
  expect(response.status).toBe(200);

  return response.data;
}

function inclusive(rows: TRow[], field: string, begin: string, end: string): string[] {
  const from = Date.parse(begin);
  const to = Date.parse(end);

  return rows
    .filter((row) => typeof row[field] === "string" && Date.parse(row[field]) >= from)
    .filter((row) => Date.parse(row[field] as string) <= to)
    .map((row) => row.id)
    .sort();
}

describe("authentication", () => {
  const unauthenticated = {
    code: "REQUEST_NOT_AUTHENTICATED",
    message: "The request could not be authenticated.",
  };

  it("answers 401 REQUEST_NOT_AUTHENTICATED without a key, with a wrong key and with a key in the URL", async () => {
    const bare = axios.create({ baseURL: sandbox.url, validateStatus: () => true });
    for (const response of [
      await bare.get("/mdm/v1/tenants"),
      await bare.get("/mdm/v1/tenants", { headers: { "X-Plex-Connect-Api-Key": "wrong-key-123" } }),
      await bare.get(`/mdm/v1/tenants?X-Plex-Connect-Api-Key=${sandbox.apiKey}`),
    ]) {
      expect(response.status).toBe(401);
      expect(response.data).toEqual(unauthenticated);
    }
  });

  it("accepts a key without its secret, refuses a wrong secret", async () => {
    const key = { "X-Plex-Connect-Api-Key": "key-with-secret-0001" };
    expect((await plex.get("/mdm/v1/tenants", { headers: key })).status).toBe(200);
    const right = await plex.get("/mdm/v1/tenants", {
      headers: { ...key, "X-Plex-Connect-Api-Secret": "the-secret" },
    });
    expect(right.status).toBe(200);
    const wrong = await plex.get("/mdm/v1/tenants", {
      headers: { ...key, "X-Plex-Connect-Api-Secret": "nope" },
    });
    expect(wrong.status).toBe(401);
  });

  it("checks the tenant id and PCN headers", async () => {
    const tenant = sandbox.tenant;
    const ok = await plex.get("/mdm/v1/customers?code=X", {
      headers: { "X-Plex-Connect-Tenant-Id": tenant.id, "X-Plex-Connect-Customer-Id": tenant.pcn },
    });
    expect(ok.status).toBe(200);
    const otherTenant = await plex.get("/mdm/v1/tenants", {
      headers: { "X-Plex-Connect-Tenant-Id": "00000000-0000-4000-8000-000000000001" },
    });
    expect(otherTenant.status).toBe(401);
    const otherPcn = await plex.get("/mdm/v1/tenants", {
      headers: { "X-Plex-Connect-Customer-Id": "999" },
    });
    expect(otherPcn.status).toBe(401);
  });

  it("answers 401 for an API product the app does not subscribe to", async () => {
    const headers = { "X-Plex-Connect-Api-Key": "mdm-only-key-000001" };
    expect((await plex.get("/mdm/v1/tenants", { headers })).status).toBe(200);
    const sales = await plex.get(
      "/sales/v1/orders?customerId=00000000-0000-4000-8000-000000000001",
      { headers },
    );
    expect(sales.status).toBe(401);
    expect(sales.data).toEqual(unauthenticated);
  });
});

describe("lists", () => {
  it("are bare arrays with no paging: limit and offset change nothing", async () => {
    const customers = await all("/mdm/v1/customers");
    expect(Array.isArray(customers)).toBe(true);
    expect(customers).toHaveLength(400);
    const limited = await all("/mdm/v1/customers?limit=1&offset=10&pageSize=5");
    expect(limited.map((row) => row.id)).toEqual(customers.map((row) => row.id));
  });

  it("ignore unknown and misspelled parameters, which return the whole table", async () => {
    const customers = await all("/mdm/v1/customers");
    for (const typo of [
      "updatedAfter=2026-11-01T00:00:00Z",
      "modifieddatebegin=2026-11-01T00:00:00Z",
      "modifiedDateBeginn=bad",
    ]) {
      expect((await all(`/mdm/v1/customers?${typo}`)).length).toBe(customers.length);
    }
    // Sales orders publish modifiedByDateBegin; modifiedDateBegin is unknown there and ignored.
    const orders = await all("/sales/v1/orders");
    expect((await all("/sales/v1/orders?modifiedDateBegin=2026-11-01T00:00:00Z")).length).toBe(
      orders.length,
    );
    expect(
      (await all("/sales/v1/orders?modifiedByDateBegin=2026-11-01T00:00:00Z")).length,
    ).toBeLessThan(orders.length);
  });

  it("apply published filters, repeated parameters included", async () => {
    const customers = await all("/mdm/v1/customers");
    const [first, second] = customers;
    const both = await all(`/mdm/v1/customers?id=${first!.id}&id=${second!.id}`);
    expect(both.map((row) => row.id).sort()).toEqual([first!.id, second!.id].sort());
    const byCode = await all(`/mdm/v1/customers?code=${String(first!.code)}`);
    expect(byCode.map((row) => row.id)).toEqual([first!.id]);
    const inactive = await all("/mdm/v1/customers?status=Inactive");
    expect(inactive.length).toBe(customers.filter((row) => row.status === "Inactive").length);
    const contacts = await all(`/mdm/v1/contacts?customerId=${first!.id}`);
    expect(contacts.every((contact) => contact.customerId === first!.id)).toBe(true);
  });

  it("refuse badly formatted dates with 400 ARGUMENT_INVALID", async () => {
    for (const value of [
      "2026-11-01",
      "2026-11-01T00:00:00",
      "2026-11-01 00:00:00Z",
      "2026-11-01T00:00:00+01:00",
      "2026-13-01T00:00:00Z",
      "yesterday",
    ]) {
      const response = await plex.get(
        `/mdm/v1/customers?modifiedDateBegin=${encodeURIComponent(value)}`,
      );
      expect(response.status, value).toBe(400);
      expect(response.data).toMatchObject({
        code: "ARGUMENT_INVALID",
        message: expect.any(String) as string,
      });
      const errors = (response.data as { errors: { code: string; message: string }[] }).errors;
      expect(errors[0]!.code).toBe("ARGUMENT_INVALID");
      expect(errors[0]!.message).toContain("modifiedDateBegin");
    }
    for (const value of [
      "2026-11-01T00:00Z",
      "2026-11-01T00:00:00Z",
      "2026-11-01T00:00:00.1234567Z",
    ]) {
      expect((await plex.get(`/mdm/v1/customers?modifiedDateBegin=${value}`)).status, value).toBe(
        200,
      );
    }
    expect((await plex.get("/sales/v1/orders?customerId=not-a-uuid")).status).toBe(400);
  });

  it("windows return exactly the records whose date is in the window, both ends included", async () => {
    const cases = [
      ["/mdm/v1/customers", "modifiedDateBegin", "modifiedDateEnd", "modifiedDate"],
      ["/sales/v1/orders", "modifiedByDateBegin", "modifiedByDateEnd", "modifiedDate"],
      ["/sales/v1/releases", "modifiedDateBegin", "modifiedDateEnd", "modifiedDate"],
      ["/shipping/v1/customer-shippers", "modifiedDateBegin", "modifiedDateEnd", "modifiedDate"],
      ["/accounting/v1/ar-invoices", "modifiedDateBegin", "modifiedDateEnd", "modifiedDate"],
      ["/sales/v1/orders", "orderDateBegin", "orderDateEnd", "orderDate"],
      [
        "/accounting/v1/ar-invoices",
        "transactionDateBegin",
        "transactionDateEnd",
        "transactionDate",
      ],
    ] as const;
    for (const [path, beginName, endName, field] of cases) {
      const rows = await all(path);
      const sorted = rows.map((row) => row[field] as string).sort();
      // Bounds taken from real records, so both edges are exercised.
      const begin = sorted[Math.floor(sorted.length * 0.6)]!;
      const end = sorted[Math.floor(sorted.length * 0.8)]!;
      const windowed = await all(`${path}?${beginName}=${begin}&${endName}=${end}`);
      const expected = inclusive(rows, field, begin, end);
      expect(expected.length, path).toBeGreaterThan(3);
      expect(windowed.map((row) => row.id).sort(), `${path} ${field}`).toEqual(expected);
    }
  });

  it("a record changed through the control API moves into the window of now", async () => {
    const customer = (await all("/mdm/v1/customers"))[5]!;
    const before = sandbox.clock.nowIso();
    const control = await axios.patch(`${sandbox.controlUrl}/records/customer/${customer.id}`, {
      email: "new.buyer@example.com",
    });
    expect(control.status).toBe(200);
    const after = sandbox.clock.nowIso();

    const window = await all(
      `/mdm/v1/customers?modifiedDateBegin=${before}&modifiedDateEnd=${after}`,
    );
    expect(window.map((row) => row.id)).toContain(customer.id);
    expect(window.find((row) => row.id === customer.id)!.email).toBe("new.buyer@example.com");
    const old = await all(
      `/mdm/v1/customers?modifiedDateBegin=${customer.modifiedDate}&modifiedDateEnd=${customer.modifiedDate}`,
    );
    expect(old.map((row) => row.id)).not.toContain(customer.id);
  });

  it("answers 404 for unknown ids and paths", async () => {
    const missing = await plex.get("/mdm/v1/customers/00000000-0000-4000-8000-000000000001");
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ code: "RESOURCE_NOT_FOUND" });
    expect((await plex.get("/sales/v1/sales-orders")).status).toBe(404);
  });
});

describe("orders, shipments and invoices", () => {
  it("links orders, lines, prices, releases, shippers and invoices", async () => {
    const orders = await all("/sales/v1/orders?status=Closed");
    const order = orders[0]!;
    const lines = await all(`/sales/v1/orders/${order.id}/lines`);
    expect(lines.length).toBeGreaterThan(0);
    const prices = await all(`/sales/v1/orders/${order.id}/lines/${lines[0]!.id}/prices`);
    expect(prices[0]).toMatchObject({ orderLineId: lines[0]!.id, primaryPrice: true });
    const releases = await all(
      `/sales/v1/releases?${lines.map((line) => `orderLineIds=${line.id}`).join("&")}`,
    );
    expect(
      releases.every((release) => ["Shipped", "Canceled"].includes(String(release.status))),
    ).toBe(true);
    const shippers = await all(
      `/shipping/v1/customer-shippers?customerId=${String(order.customerId)}`,
    );
    const shipperLines = (
      await Promise.all(
        shippers.map((shipper) => all(`/shipping/v1/customer-shippers/${shipper.id}/lines`)),
      )
    ).flat();
    const releaseIds = new Set(releases.map((release) => release.id));
    expect(shipperLines.some((line) => releaseIds.has(String(line.releaseId)))).toBe(true);
    expect(
      shippers.every(
        (shipper) => typeof shipper.trackingNumber === "string" || shipper.trackingNumber === null,
      ),
    ).toBe(true);
  });

  it("ships a release: release status, shipper with tracking number, open invoice, then paid", async () => {
    const customer = sandbox.store().plant.customer(1);
    const part = sandbox.store().plant.part(2);
    const created = await axios.post<{ order: TRow; releases: TRow[] }>(
      `${sandbox.controlUrl}/orders`,
      {
        customerId: customer.id,
        lines: [{ partId: part.id, quantity: 100, price: 2.5 }],
      },
    );
    expect(created.status).toBe(201);
    const release = created.data.releases[0]!;
    const partial = await axios.post<{ release: TRow; shipper: TRow; invoice: TRow }>(
      `${sandbox.controlUrl}/releases/${release.id}/ship`,
      { quantity: 40, trackingNumber: "1ZTEST0001" },
    );
    expect(partial.data.release).toMatchObject({ status: "Open", quantityShipped: 40 });
    expect(partial.data.invoice).toMatchObject({ paid: false, amount: 100, status: "Open" });
    const shipper = await plex.get<TRow>(
      `/shipping/v1/customer-shippers/${partial.data.shipper.id}`,
    );
    expect(shipper.data).toMatchObject({ trackingNumber: "1ZTEST0001", customerId: customer.id });

    const rest = await axios.post<{ release: TRow; order: TRow }>(
      `${sandbox.controlUrl}/releases/${release.id}/ship`,
      {},
    );
    expect(rest.data.release).toMatchObject({ status: "Shipped", quantityShipped: 100 });
    expect(rest.data.order.status).toBe("Closed");
    const order = await plex.get<TRow>(`/sales/v1/orders/${created.data.order.id}`);
    expect(order.data.status).toBe("Closed");

    const paid = await axios.post<TRow>(
      `${sandbox.controlUrl}/invoices/${partial.data.invoice.id}/pay`,
      {},
    );
    expect(paid.data).toMatchObject({ paid: true, balance: 0, status: "Paid" });
    const invoices = await all(`/accounting/v1/ar-invoices?customerCode=${customer.code}&paid=1`);
    expect(invoices.map((invoice) => invoice.id)).toContain(partial.data.invoice.id);

    const again = await axios.post(
      `${sandbox.controlUrl}/releases/${release.id}/ship`,
      {},
      { validateStatus: () => true },
    );
    expect(again.status).toBe(409);
  });

  it("refuses malformed control bodies with 400", async () => {
    const response = await axios.post(
      `${sandbox.controlUrl}/orders`,
      { customerId: "x" },
      { validateStatus: () => true },
    );
    expect(response.status).toBe(400);
    const broken = await axios.post(`${sandbox.controlUrl}/faults`, "{not json", {
      headers: { "Content-Type": "application/json" },
      validateStatus: () => true,
    });
    expect(broken.status).toBe(400);
  });
});
