/**
 * Contract test: every operation the sandbox serves answers, over real HTTP, with a body the
 * official spec's response schema accepts (strictly: no property the spec does not name), and
 * every problem answer matches the spec's Problem Detail Document.
 */
import type { AxiosResponse } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { ResponseContract } from "../spec/response-contract.js";
import { SERVED_OPERATIONS, type THttpMethod } from "../spec/served-operations.js";
import { apiClient } from "../test-support/api-client.js";
import { startWebhookReceiver, type TReceiver } from "../test-support/webhook-receiver.js";

let sandbox: SandboxHandle;
let receiver: TReceiver;
const contract = new ResponseContract();
const covered = new Set<string>();
const failures: string[] = [];

function check(
  method: THttpMethod,
  path: string,
  response: AxiosResponse,
  expectedStatus = 200,
): void {
  const body: unknown = response.status === 204 ? undefined : response.data;
  const result = contract.check(method, path, response.status, body);
  covered.add(`${method} ${path}`);
  if (response.status !== expectedStatus) {
    failures.push(
      `${method} ${path}: status ${response.status}, expected ${expectedStatus}: ` +
        JSON.stringify(body),
    );
  }
  if (!result.valid) failures.push(`${method} ${path}: ${result.errors.join("; ")}`);
}

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("responses match the official Marketing API spec", () => {
  it("answers every served operation with a body its response schema accepts", async () => {
    const api = apiClient(sandbox);
    const listId = sandbox.defaults?.listId ?? "";
    const storeId = sandbox.defaults?.storeId ?? "";
    const email = "maria.gonzalez@lakeside-tooling.com";
    const hash = "members/maria.gonzalez@lakeside-tooling.com";

    check("get", "/", await api.get("/"));
    check("get", "/ping", await api.get("/ping"));
    check("get", "/lists", await api.get("/lists"));
    check(
      "post",
      "/lists",
      await api.post("/lists", {
        name: "Contract list",
        permission_reminder: "You bought from us.",
        email_type_option: false,
        contact: { company: "Lakeside", address1: "2 Dock St", city: "Duluth", country: "US" },
        campaign_defaults: {
          from_name: "Lakeside",
          from_email: "news@lakeside-tooling.com",
          subject: "",
          language: "en",
        },
      }),
    );
    check("get", "/lists/{list_id}", await api.get(`/lists/${listId}`));

    const mergeField = await api.post(`/lists/${listId}/merge-fields`, {
      name: "Revenue",
      type: "number",
      tag: "REVENUE",
    });
    check("post", "/lists/{list_id}/merge-fields", mergeField);
    const mergeId = String((mergeField.data as { merge_id: number }).merge_id);
    check("get", "/lists/{list_id}/merge-fields", await api.get(`/lists/${listId}/merge-fields`));
    check(
      "get",
      "/lists/{list_id}/merge-fields/{merge_id}",
      await api.get(`/lists/${listId}/merge-fields/${mergeId}`),
    );
    check(
      "patch",
      "/lists/{list_id}/merge-fields/{merge_id}",
      await api.patch(`/lists/${listId}/merge-fields/${mergeId}`, { name: "Lifetime revenue" }),
    );

    check(
      "put",
      "/lists/{list_id}/members/{subscriber_hash}",
      await api.put(`/lists/${listId}/${hash}`, {
        email_address: email,
        status_if_new: "subscribed",
        merge_fields: {
          FNAME: "Maria",
          REVENUE: 1250.5,
          ADDRESS: { addr1: "2 Dock St", city: "Duluth", state: "MN", zip: "55802" },
        },
      }),
    );
    check(
      "post",
      "/lists/{list_id}/members",
      await api.post(`/lists/${listId}/members`, {
        email_address: "kenji.sato@northfield-castings.com",
        status: "subscribed",
        tags: ["Plex-Customer"],
      }),
    );
    check("get", "/lists/{list_id}/members", await api.get(`/lists/${listId}/members`));
    check(
      "get",
      "/lists/{list_id}/members/{subscriber_hash}",
      await api.get(`/lists/${listId}/${hash}`),
    );
    check(
      "patch",
      "/lists/{list_id}/members/{subscriber_hash}",
      await api.patch(`/lists/${listId}/${hash}`, { merge_fields: { LNAME: "Gonzalez" } }),
    );
    check(
      "post",
      "/lists/{list_id}/members/{subscriber_hash}/tags",
      await api.post(`/lists/${listId}/${hash}/tags`, {
        tags: [{ name: "Industrial", status: "active" }],
      }),
      204,
    );
    check(
      "get",
      "/lists/{list_id}/members/{subscriber_hash}/tags",
      await api.get(`/lists/${listId}/${hash}/tags`),
    );

    const batchSubscribe = await api.post(`/lists/${listId}`, {
      members: [
        { email_address: "olga.petrova@riverbend-plastics.com", status: "subscribed" },
        { email_address: "test@example.com", status: "subscribed" },
      ],
      update_existing: true,
    });
    check("post", "/lists/{list_id}", batchSubscribe);

    const webhook = await api.post(`/lists/${listId}/webhooks`, {
      url: `${receiver.url}/mailchimp/secret-1`,
      events: { subscribe: true },
      sources: { user: true, admin: true, api: false },
    });
    check("post", "/lists/{list_id}/webhooks", webhook);
    const webhookId = (webhook.data as { id: string }).id;
    check("get", "/lists/{list_id}/webhooks", await api.get(`/lists/${listId}/webhooks`));
    check(
      "get",
      "/lists/{list_id}/webhooks/{webhook_id}",
      await api.get(`/lists/${listId}/webhooks/${webhookId}`),
    );
    check(
      "patch",
      "/lists/{list_id}/webhooks/{webhook_id}",
      await api.patch(`/lists/${listId}/webhooks/${webhookId}`, { events: { unsubscribe: true } }),
    );

    const stores = "/ecommerce/stores";
    check("get", stores, await api.get(stores));
    check(
      "post",
      stores,
      await api.post(stores, {
        id: "contract-store",
        list_id: listId,
        name: "Contract",
        currency_code: "USD",
      }),
    );
    check("get", "/ecommerce/stores/{store_id}", await api.get(`${stores}/${storeId}`));
    check(
      "patch",
      "/ecommerce/stores/{store_id}",
      await api.patch(`${stores}/${storeId}`, { is_syncing: true }),
    );

    const customers = `${stores}/${storeId}/customers`;
    check(
      "put",
      "/ecommerce/stores/{store_id}/customers/{customer_id}",
      await api.put(`${customers}/C-100`, {
        id: "C-100",
        email_address: email,
        opt_in_status: true,
        company: "Lakeside",
      }),
    );
    check(
      "post",
      "/ecommerce/stores/{store_id}/customers",
      await api.post(customers, {
        id: "C-101",
        email_address: "ann.lee@harbor-valves.com",
        opt_in_status: false,
      }),
    );
    check("get", "/ecommerce/stores/{store_id}/customers", await api.get(customers));
    check(
      "get",
      "/ecommerce/stores/{store_id}/customers/{customer_id}",
      await api.get(`${customers}/C-100`),
    );
    check(
      "patch",
      "/ecommerce/stores/{store_id}/customers/{customer_id}",
      await api.patch(`${customers}/C-100`, { first_name: "Maria" }),
    );

    const products = `${stores}/${storeId}/products`;
    check(
      "post",
      "/ecommerce/stores/{store_id}/products",
      await api.post(products, {
        id: "P-1",
        title: "Bracket",
        variants: [{ id: "P-1-A", title: "Steel", price: 4.5 }],
      }),
    );
    check(
      "put",
      "/ecommerce/stores/{store_id}/products/{product_id}",
      await api.put(`${products}/P-2`, {
        id: "P-2",
        title: "Hinge",
        variants: [{ id: "P-2-A", title: "Brass" }],
      }),
    );
    check("get", "/ecommerce/stores/{store_id}/products", await api.get(products));
    check(
      "get",
      "/ecommerce/stores/{store_id}/products/{product_id}",
      await api.get(`${products}/P-1`),
    );
    check(
      "patch",
      "/ecommerce/stores/{store_id}/products/{product_id}",
      await api.patch(`${products}/P-1`, { vendor: "Plant 2" }),
    );
    const variants = `${products}/P-1/variants`;
    check(
      "post",
      "/ecommerce/stores/{store_id}/products/{product_id}/variants",
      await api.post(variants, { id: "P-1-B", title: "Aluminium", price: 3.9 }),
    );
    check(
      "put",
      "/ecommerce/stores/{store_id}/products/{product_id}/variants/{variant_id}",
      await api.put(`${variants}/P-1-C`, { id: "P-1-C", title: "Zinc" }),
    );
    check(
      "get",
      "/ecommerce/stores/{store_id}/products/{product_id}/variants",
      await api.get(variants),
    );
    check(
      "get",
      "/ecommerce/stores/{store_id}/products/{product_id}/variants/{variant_id}",
      await api.get(`${variants}/P-1-B`),
    );
    check(
      "patch",
      "/ecommerce/stores/{store_id}/products/{product_id}/variants/{variant_id}",
      await api.patch(`${variants}/P-1-B`, { inventory_quantity: 12 }),
    );

    const orders = `${stores}/${storeId}/orders`;
    check(
      "post",
      "/ecommerce/stores/{store_id}/orders",
      await api.post(orders, {
        id: "SO-1",
        customer: { id: "C-100" },
        currency_code: "USD",
        order_total: 9,
        financial_status: "pending",
        lines: [
          { id: "SO-1-1", product_id: "P-1", product_variant_id: "P-1-A", quantity: 2, price: 4.5 },
        ],
      }),
    );
    check("get", "/ecommerce/stores/{store_id}/orders", await api.get(orders));
    check("get", "/ecommerce/stores/{store_id}/orders/{order_id}", await api.get(`${orders}/SO-1`));
    check(
      "patch",
      "/ecommerce/stores/{store_id}/orders/{order_id}",
      await api.patch(`${orders}/SO-1`, { fulfillment_status: "shipped" }),
    );
    check(
      "get",
      "/ecommerce/stores/{store_id}/orders/{order_id}/lines",
      await api.get(`${orders}/SO-1/lines`),
    );

    const campaign = sandbox.sendCampaign(sandbox.defaults?.accountId ?? "", {
      listId,
      subject: "Spring catalog",
      activity: [
        { email, action: "open", afterMinutes: 5 },
        { email, action: "click", afterMinutes: 6 },
        { email: "kenji.sato@northfield-castings.com", action: "unsub", afterMinutes: 7 },
      ],
      generate: false,
    });
    sandbox.advanceClock(60 * 60_000);
    check("get", "/campaigns", await api.get("/campaigns"));
    check("get", "/campaigns/{campaign_id}", await api.get(`/campaigns/${campaign.id}`));
    check("get", "/reports/{campaign_id}", await api.get(`/reports/${campaign.id}`));
    check(
      "get",
      "/reports/{campaign_id}/email-activity",
      await api.get(`/reports/${campaign.id}/email-activity`),
    );
    check(
      "get",
      "/reports/{campaign_id}/email-activity/{subscriber_hash}",
      await api.get(`/reports/${campaign.id}/email-activity/${email}`),
    );
    check(
      "get",
      "/reports/{campaign_id}/open-details",
      await api.get(`/reports/${campaign.id}/open-details`),
    );
    check(
      "get",
      "/reports/{campaign_id}/unsubscribed",
      await api.get(`/reports/${campaign.id}/unsubscribed`),
    );

    const batch = await api.post("/batches", { operations: [{ method: "GET", path: "/ping" }] });
    check("post", "/batches", batch);
    const batchId = (batch.data as { id: string }).id;
    check("get", "/batches", await api.get("/batches"));
    check("get", "/batches/{batch_id}", await api.get(`/batches/${batchId}`));

    check(
      "delete",
      "/ecommerce/stores/{store_id}/orders/{order_id}",
      await api.delete(`${orders}/SO-1`),
      204,
    );
    check(
      "delete",
      "/ecommerce/stores/{store_id}/products/{product_id}/variants/{variant_id}",
      await api.delete(`${variants}/P-1-C`),
      204,
    );
    check(
      "delete",
      "/ecommerce/stores/{store_id}/products/{product_id}",
      await api.delete(`${products}/P-2`),
      204,
    );
    check(
      "delete",
      "/ecommerce/stores/{store_id}/customers/{customer_id}",
      await api.delete(`${customers}/C-101`),
      204,
    );
    check(
      "delete",
      "/ecommerce/stores/{store_id}",
      await api.delete(`${stores}/contract-store`),
      204,
    );
    check(
      "delete",
      "/lists/{list_id}/webhooks/{webhook_id}",
      await api.delete(`/lists/${listId}/webhooks/${webhookId}`),
      204,
    );
    check(
      "delete",
      "/lists/{list_id}/merge-fields/{merge_id}",
      await api.delete(`/lists/${listId}/merge-fields/${mergeId}`),
      204,
    );
    check(
      "delete",
      "/lists/{list_id}/members/{subscriber_hash}",
      await api.delete(`/lists/${listId}/${hash}`),
      204,
    );
    check(
      "post",
      "/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent",
      await api.post(
        `/lists/${listId}/members/kenji.sato@northfield-castings.com/actions/delete-permanent`,
      ),
      204,
    );
    check("delete", "/batches/{batch_id}", await api.delete(`/batches/${batchId}`), 204);

    expect(failures).toEqual([]);
    const missing = SERVED_OPERATIONS.map((op) => `${op.method} ${op.path}`).filter(
      (key) => !covered.has(key),
    );
    expect(missing).toEqual([]);
  });

  it("answers problems with the spec's Problem Detail Document", async () => {
    const api = apiClient(sandbox);
    const notFound = await api.get("/lists/nope");
    const invalid = await api.put(`/lists/${sandbox.defaults?.listId ?? ""}/members/x@y.com`, {
      status_if_new: 7,
    });

    for (const response of [notFound, invalid]) {
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      const result = contract.check("get", "/lists/{list_id}", response.status, response.data);
      expect(result.errors).toEqual([]);
    }
    expect(notFound.status).toBe(404);
    expect(invalid.status).toBe(400);
  });

  it("fails the contract check for a field the spec does not name", () => {
    const result = contract.check("get", "/ping", 200, { health_status: "ok", invented: true });

    expect(result.valid).toBe(false);
  });
});
