/**
 * Contract: every Plex Connect path, query parameter and response field the sandbox serves exists
 * in the Plex spec with the same name, casing and type, and no published field is missing.
 */
import axios, { type AxiosInstance } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPlexSandbox, type TPlexSandboxHandle } from "../plex-sandbox.js";
import { CONNECT_GET_PATHS, CONNECT_WRITE_OPERATIONS } from "../routes/connect.endpoints.js";
import { loadSpec, operation, queryParameters, resolve, responseProperties } from "./plex-spec.js";

let sandbox: TPlexSandboxHandle;
let plex: AxiosInstance;

beforeAll(async () => {
  sandbox = await startPlexSandbox({ customers: 120, latency: { baseMs: 0, perRowMs: 0 } });
  plex = axios.create({
    baseURL: sandbox.url,
    headers: { "X-Plex-Connect-Api-Key": sandbox.apiKey },
    validateStatus: () => true,
  });
});

afterAll(async () => {
  await sandbox.close();
});

function specType(schema: { type?: string; format?: string; items?: unknown } | undefined): string {
  if (schema === undefined) return "missing";
  if (schema.type === "array") {
    const items = resolve(schema.items as never);
    return `${items?.format === "uuid" ? "uuid" : (items?.type ?? "string")}[]`;
  }
  if (schema.format === "uuid") return "uuid";
  if (schema.format === "date-time") return "date-time";
  if (schema.format === "time") return "time";
  if (schema.type === "integer") return "int";

  return schema.type ?? "string";
}

describe("Plex spec contract", () => {
  it("serves only published GET paths", () => {
    for (const path of Object.keys(CONNECT_GET_PATHS)) {
      expect(operation(path, "get"), path).toBeDefined();
    }
    for (const { method, path } of CONNECT_WRITE_OPERATIONS) {
      expect(operation(path, method), `${method} ${path}`).toBeDefined();
    }
  });

  it("declares exactly the published query parameters, with their types", () => {
    for (const [path, defs] of Object.entries(CONNECT_GET_PATHS)) {
      const published = queryParameters(path);
      for (const def of defs) {
        expect(published.has(def.name), `${path} ?${def.name}`).toBe(true);
        expect(def.type, `${path} ?${def.name}`).toBe(specType(published.get(def.name)));
      }
      expect(defs.map((def) => def.name).sort(), path).toEqual([...published.keys()].sort());
    }
  });

  it("answers every served GET with exactly the published fields", async () => {
    const customer = sandbox.store().plant.customer(3);
    const { data: orders } = await plex.get<Record<string, string>[]>("/sales/v1/orders");
    const order = orders.find((candidate) => candidate.status === "Closed")!;
    const { data: lines } = await plex.get<Record<string, string>[]>(
      `/sales/v1/orders/${order.id}/lines`,
    );
    const line = lines[0]!;
    const { data: prices } = await plex.get<Record<string, string>[]>(
      `/sales/v1/orders/${order.id}/lines/${line.id}/prices`,
    );
    const { data: shippers } = await plex.get<Record<string, string>[]>(
      "/shipping/v1/customer-shippers",
    );
    const shipper = shippers[0]!;
    const { data: shipperLines } = await plex.get<Record<string, string>[]>(
      `/shipping/v1/customer-shippers/${shipper.id}/lines`,
    );
    const { data: addresses } = await plex.get<Record<string, string>[]>(
      `/mdm/v1/customers/${customer.id}/addresses`,
    );
    const { data: releases } = await plex.get<Record<string, string>[]>("/sales/v1/releases");
    const { data: invoices } = await plex.get<Record<string, unknown>[]>(
      "/accounting/v1/ar-invoices",
    );
    const { data: contacts } = await plex.get<Record<string, string>[]>("/mdm/v1/contacts");
    const { data: parts } = await plex.get<Record<string, string>[]>("/mdm/v1/parts");
    const tenant = sandbox.tenant;
    const created = await plex.post<Record<string, string>>("/management/v1/activity-manager", {
      activityName: "Campaign sent",
      customerCode: customer.code,
      comments: ["opened"],
    });
    const activityId = created.data.activityId;

    const concrete: Record<string, string> = {
      "/mdm/v1/tenants/{id}": `/mdm/v1/tenants/${tenant.id}`,
      "/mdm/v1/customers/{id}": `/mdm/v1/customers/${customer.id}`,
      "/mdm/v1/customers/{customerId}/addresses": `/mdm/v1/customers/${customer.id}/addresses`,
      "/mdm/v1/customers/{customerId}/addresses/{addressId}": `/mdm/v1/customers/${customer.id}/addresses/${addresses[0]!.id}`,
      "/mdm/v1/contacts/{id}": `/mdm/v1/contacts/${contacts[0]!.id}`,
      "/mdm/v1/parts/{id}": `/mdm/v1/parts/${parts[0]!.id}`,
      "/sales/v1/orders/{id}": `/sales/v1/orders/${order.id}`,
      "/sales/v1/orders/{id}/lines": `/sales/v1/orders/${order.id}/lines`,
      "/sales/v1/orders/{id}/lines/{lineId}": `/sales/v1/orders/${order.id}/lines/${line.id}`,
      "/sales/v1/orders/{id}/lines/{lineId}/prices": `/sales/v1/orders/${order.id}/lines/${line.id}/prices`,
      "/sales/v1/orders/{id}/lines/{lineId}/prices/{priceId}": `/sales/v1/orders/${order.id}/lines/${line.id}/prices/${prices[0]!.id}`,
      "/sales/v1/releases/{id}": `/sales/v1/releases/${releases[0]!.id}`,
      "/shipping/v1/customer-shippers/{id}": `/shipping/v1/customer-shippers/${shipper.id}`,
      "/shipping/v1/customer-shippers/{shipperId}/lines": `/shipping/v1/customer-shippers/${shipper.id}/lines`,
      "/shipping/v1/customer-shippers/{shipperId}/lines/{lineId}": `/shipping/v1/customer-shippers/${shipper.id}/lines/${shipperLines[0]!.id}`,
      "/accounting/v1/ar-invoices/{id}": `/accounting/v1/ar-invoices/${String(invoices[0]!.id)}`,
      "/management/v1/activity-manager/{id}": `/management/v1/activity-manager/${activityId}`,
    };

    for (const path of Object.keys(CONNECT_GET_PATHS)) {
      const response = await plex.get<unknown>(concrete[path] ?? path);
      expect(response.status, path).toBe(200);
      const body: unknown = Array.isArray(response.data)
        ? (response.data as unknown[])[0]
        : response.data;
      expect(body, `${path} returned no record`).toBeTypeOf("object");
      const published = Object.keys(responseProperties(path, "get", "200")).sort();
      expect(Object.keys(body as object).sort(), path).toEqual(published);
    }

    const invoiceLine = (invoices[0]!.lines as Record<string, unknown>[])[0]!;
    const lineSchema = resolve(
      responseProperties("/accounting/v1/ar-invoices", "get", "200").lines?.items,
    );
    expect(Object.keys(invoiceLine).sort()).toEqual(
      Object.keys(lineSchema?.properties ?? {}).sort(),
    );

    expect(Object.keys(created.data).sort()).toEqual(
      Object.keys(responseProperties("/management/v1/activity-manager", "post", "201")).sort(),
    );
    const updated = await plex.put<Record<string, unknown>>(
      `/management/v1/activity-manager/${activityId}`,
      {
        activityStatus: "Closed",
      },
    );
    expect(Object.keys(updated.data).sort()).toEqual(
      Object.keys(responseProperties("/management/v1/activity-manager/{id}", "put", "200")).sort(),
    );
  });

  it("uses the spec's field types for generated values", async () => {
    const { data: customers } = await plex.get<Record<string, unknown>[]>("/mdm/v1/customers");
    const properties = responseProperties("/mdm/v1/customers", "get", "200");
    for (const customer of customers.slice(0, 40)) {
      for (const [field, value] of Object.entries(customer)) {
        if (value === null) continue;
        const schema = resolve(properties[field]);
        const type = schema?.type === "integer" ? "number" : schema?.type;
        expect(Array.isArray(value) ? "array" : typeof value, field).toBe(type);
        if (schema?.format === "date-time")
          expect(value, field).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
        if (schema?.format === "uuid") expect(value, field).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    expect(loadSpec().paths["/mdm/v1/customers"]).toBeDefined();
  });
});
