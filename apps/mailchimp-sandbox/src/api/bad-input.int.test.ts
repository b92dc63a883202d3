/**
 * Whatever a client sends, the sandbox answers 2xx or 4xx, never 5xx and never a dropped
 * connection: random JSON bodies, path parameters and query strings against every served
 * operation (property-based, fast-check), plus raw non-JSON bodies.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { SERVED_OPERATIONS } from "../spec/served-operations.js";
import { apiClient } from "../test-support/api-client.js";

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({
    latency: { perRequestMs: 0, perBatchMemberMs: 0 },
    // Registration checks reach out to the URL given; keep refused URLs quick.
    webhooks: { validationTimeoutMs: 200 },
  });
});

afterAll(async () => {
  await sandbox.close();
});

/** Path parameters that exist in the sandbox-mode data, so handlers get past their lookups. */
function knownValues(): Record<string, string> {
  return {
    list_id: sandbox.defaults?.listId ?? "",
    store_id: sandbox.defaults?.storeId ?? "",
    subscriber_hash: "fuzz.target@lake-foundry.com",
    merge_id: "1",
    product_id: "FUZZ-P",
    variant_id: "FUZZ-P",
    customer_id: "FUZZ-C",
    order_id: "FUZZ-O",
    campaign_id: "nope",
    batch_id: "nope",
    webhook_id: "nope",
  };
}

const pathValue = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 20 }).filter((value) => value !== "" && !value.includes("/")),
);
const query = fc.dictionary(
  fc.constantFrom(
    "count",
    "offset",
    "fields",
    "exclude_fields",
    "since",
    "status",
    "skip_merge_validation",
  ),
  fc.string({ maxLength: 12 }),
);

describe("bad input", () => {
  it("answers every served operation below 500 whatever the body, path and query", async () => {
    const api = apiClient(sandbox);
    await api.put(`/ecommerce/stores/${sandbox.defaults?.storeId ?? ""}/products/FUZZ-P`, {
      id: "FUZZ-P",
      title: "Fuzz",
      variants: [{ id: "FUZZ-P", title: "Fuzz" }],
    });
    const statuses: number[] = [];

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SERVED_OPERATIONS),
        fc.jsonValue({ maxDepth: 3 }),
        pathValue,
        query,
        async (operation, body, override, params) => {
          const values = knownValues();
          const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
            encodeURIComponent(override ?? values[name] ?? "x"),
          );
          const response = await api.request({
            method: operation.method,
            url: path === "/" ? "" : path,
            params,
            data:
              operation.method === "get" || operation.method === "delete"
                ? undefined
                : JSON.stringify(body),
            headers: { "content-type": "application/json" },
            transformRequest: [(data: unknown) => data],
          });
          statuses.push(response.status);

          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 600, seed: 20261203 },
    );
    expect(statuses.some((status) => status >= 400)).toBe(true);
  });

  it("answers schema-valid bodies with odd values below 500 (merge fields, batch members, lines)", async () => {
    const api = apiClient(sandbox);
    const listId = sandbox.defaults?.listId ?? "";
    const store = `/ecommerce/stores/${sandbox.defaults?.storeId ?? ""}`;
    const mergeFields = fc.dictionary(
      fc.constantFrom("FNAME", "LNAME", "ADDRESS", "PHONE", "OTHER"),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const email = fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 }));
    const status = fc.constantFrom(
      "subscribed",
      "unsubscribed",
      "cleaned",
      "pending",
      "transactional",
    );

    await fc.assert(
      fc.asyncProperty(
        email,
        status,
        mergeFields,
        fc.array(fc.string({ maxLength: 8 })),
        async (address, state, merges, ids) => {
          const put = await api.put(
            `/lists/${listId}/members/${encodeURIComponent(address || "x")}`,
            {
              email_address: address,
              status_if_new: state,
              merge_fields: merges,
            },
          );
          const batch = await api.post(`/lists/${listId}`, {
            members: [{ email_address: address, status: state, merge_fields: merges }],
            update_existing: true,
            sync_tags: true,
          });
          const order = await api.post(`${store}/orders`, {
            id: `O-${ids.join("")}`,
            customer: {
              id: ids[0] ?? "",
              email_address: address,
              opt_in_status: state === "subscribed",
            },
            currency_code: "USD",
            order_total: 1,
            lines: ids.map((id) => ({
              id,
              product_id: id,
              product_variant_id: id,
              quantity: 1,
              price: 1,
            })),
          });

          expect([put.status, batch.status, order.status].every((code) => code < 500)).toBe(true);
        },
      ),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it("answers non-JSON and truncated bodies with 400 JSON Parse Error", async () => {
    const api = apiClient(sandbox);
    for (const raw of ["<xml/>", '{"members": [', "\u0000\u0001", "email_address=a@b.com"]) {
      const response = await api.post(`/lists/${sandbox.defaults?.listId ?? ""}`, raw, {
        headers: { "content-type": "application/json" },
        transformRequest: [(data: unknown) => data],
      });

      expect(response.status).toBe(400);
      expect(response.data).toMatchObject({ title: "JSON Parse Error" });
    }
  });

  it("answers a body over the size limit with 413", async () => {
    sandbox.context.options.limits.maxBodyBytes = 1024;
    try {
      const response = await apiClient(sandbox).post(`/lists/${sandbox.defaults?.listId ?? ""}`, {
        members: [
          {
            email_address: "big@lake-foundry.com",
            status: "subscribed",
            language: "x".repeat(2048),
          },
        ],
      });

      expect(response.status).toBe(413);
    } finally {
      sandbox.context.options.limits.maxBodyBytes = 20 * 1024 * 1024;
    }
  });
});
