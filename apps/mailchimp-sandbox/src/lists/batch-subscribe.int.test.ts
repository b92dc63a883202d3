/**
 * Batch subscribe, POST /lists/{list_id} (reference/mailchimp-api.md §3.6): per-member errors
 * inside a 200 answer, `update_existing`, the 500-member cap, duplicates, and the latency model's
 * 2 ms per member.
 */
import type { AxiosInstance } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";

let sandbox: SandboxHandle;
let api: AxiosInstance;
let accountId: string;

type TBatchAnswer = {
  new_members: { email_address: string; status: string }[];
  updated_members: { email_address: string; status: string }[];
  errors: {
    email_address: string;
    error: string;
    error_code: string;
    field: string;
    field_message: string;
  }[];
  total_created: number;
  total_updated: number;
  error_count: number;
};

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  accountId = sandbox.defaults?.accountId ?? "";
  api = apiClient(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

function newList(): string {
  return sandbox.createList(accountId, { name: "Batch" }).id;
}

describe("batch subscribe", () => {
  it("creates and updates members and reports per-member errors inside a 200", async () => {
    const listId = newList();
    await api.put(`/lists/${listId}/members/existing.one@acme-industrial.com`, {
      email_address: "existing.one@acme-industrial.com",
      status_if_new: "subscribed",
    });
    sandbox.subscriberAction(accountId, listId, {
      action: "unsubscribe",
      email: "existing.one@acme-industrial.com",
    });
    await api.post(`/lists/${listId}/merge-fields`, {
      name: "Orders",
      type: "number",
      tag: "ORDERS",
    });

    const response = await api.post(`/lists/${listId}`, {
      update_existing: true,
      members: [
        {
          email_address: "new.one@acme-industrial.com",
          status: "subscribed",
          merge_fields: { ORDERS: 3 },
        },
        { email_address: "existing.one@acme-industrial.com", status: "subscribed" },
        { email_address: "test@example.com", status: "subscribed" },
        {
          email_address: "bad.orders@acme-industrial.com",
          status: "subscribed",
          merge_fields: { ORDERS: "many" },
        },
        { email_address: "no.status@acme-industrial.com" },
      ],
    });
    const body = response.data as TBatchAnswer;

    expect(response.status).toBe(200);
    expect(body.total_created).toBe(1);
    expect(body.total_updated).toBe(0);
    expect(body.error_count).toBe(4);
    expect(body.new_members.map((member) => member.email_address)).toEqual([
      "new.one@acme-industrial.com",
    ]);
    expect(body.errors).toEqual([
      {
        email_address: "existing.one@acme-industrial.com",
        error:
          "existing.one@acme-industrial.com is in a compliance state due to unsubscribe, " +
          "bounce, or compliance " +
          "review and cannot be subscribed.",
        error_code: "ERROR_GENERIC",
        field: "",
        field_message: "",
      },
      {
        email_address: "test@example.com",
        error: "test@example.com looks fake or invalid, please enter a real email address.",
        error_code: "ERROR_GENERIC",
        field: "",
        field_message: "",
      },
      {
        email_address: "bad.orders@acme-industrial.com",
        error: "Your merge fields were invalid.",
        error_code: "ERROR_GENERIC",
        field: "ORDERS",
        field_message: "Please enter a number",
      },
      {
        email_address: "no.status@acme-industrial.com",
        error:
          "The resource submitted could not be validated. " +
          "For field-specific details, see the 'errors' array.",
        error_code: "ERROR_GENERIC",
        field: "",
        field_message: "Required fields were not provided: status",
      },
    ]);
  });

  it("reports existing members as ERROR_CONTACT_EXISTS without update_existing", async () => {
    const listId = newList();
    const members = [{ email_address: "c.jones@acme-industrial.com", status: "subscribed" }];
    await api.post(`/lists/${listId}`, { members });
    const again = (await api.post(`/lists/${listId}`, { members })).data as TBatchAnswer;
    const updated = (
      await api.post(`/lists/${listId}`, {
        members: [{ email_address: "c.jones@acme-industrial.com", status: "unsubscribed" }],
        update_existing: true,
      })
    ).data as TBatchAnswer;

    expect(again.errors[0]).toMatchObject({
      email_address: "c.jones@acme-industrial.com",
      error_code: "ERROR_CONTACT_EXISTS",
    });
    expect(again.errors[0]?.error).toContain("update_existing:true");
    expect(updated.total_updated).toBe(1);
    expect(updated.updated_members[0]?.status).toBe("unsubscribed");
  });

  it("accepts 500 members and refuses 501", async () => {
    const listId = newList();
    const members = (count: number, prefix: string) =>
      Array.from({ length: count }, (_, index) => ({
        email_address: `${prefix}.${index}@northwind-metals.com`,
        status: "subscribed",
      }));

    const five = await api.post(`/lists/${listId}`, { members: members(500, "ok") });
    const over = await api.post(`/lists/${listId}`, { members: members(501, "over") });

    expect(five.status).toBe(200);
    expect((five.data as TBatchAnswer).total_created).toBe(500);
    expect(over.status).toBe(400);
    expect(over.data).toMatchObject({ title: "Invalid Resource" });
    expect(sandbox.list(accountId, listId).members.size).toBe(500);
  });

  it("fails the request for a duplicate address unless skip_duplicate_check is set", async () => {
    const listId = newList();
    const members = [
      { email_address: "dup@acme-industrial.com", status: "subscribed" },
      { email_address: "DUP@acme-industrial.com", status: "unsubscribed" },
    ];
    const refused = await api.post(`/lists/${listId}`, { members });
    const skipped = await api.post(`/lists/${listId}?skip_duplicate_check=true`, { members });

    expect(refused.status).toBe(400);
    expect(sandbox.list(accountId, listId).members.size).toBe(1);
    expect((skipped.data as TBatchAnswer).new_members[0]?.status).toBe("subscribed");
  });

  it("holds the request 2 ms per member on top of the per-request latency", async () => {
    const listId = newList();
    sandbox.configure({ latency: { perRequestMs: 50, perBatchMemberMs: 2 } });
    try {
      const members = Array.from({ length: 100 }, (_, index) => ({
        email_address: `timed.${index}@northwind-metals.com`,
        status: "subscribed",
      }));
      const started = Date.now();
      await api.post(`/lists/${listId}`, { members });

      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      sandbox.configure({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
    }
  });
});
