/**
 * Member rules as Mailchimp applies them (reference/mailchimp-api.md §3): fake and invalid
 * addresses, compliance state, `status` vs `status_if_new`, archive vs permanent delete,
 * subscriber hashes, merge-field types and tags.
 */
import { createHash } from "node:crypto";

import type { AxiosInstance } from "axios";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startMailchimpSandbox, subscriberHash } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";

let sandbox: SandboxHandle;
let api: AxiosInstance;
let accountId: string;
let listId: string;
let members: string;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  accountId = sandbox.defaults?.accountId ?? "";
  api = apiClient(sandbox);
});

beforeEach(() => {
  listId = sandbox.createList(accountId, { name: "Rules" }).id;
  members = `/lists/${listId}/members`;
});

afterAll(async () => {
  await sandbox.close();
});

function put(email: string, body: Record<string, unknown>, key = subscriberHash(email)) {
  return api.put(`${members}/${key}`, { email_address: email, ...body });
}

describe("addresses", () => {
  it.each([
    "test@example.com",
    "fooboo@example.com",
    "someone@yopmail.com",
    "jane.doe@gmail.vom",
    "a@b.com",
  ])("refuses %s as looking fake", async (email) => {
    const response = await put(email, { status_if_new: "subscribed" });

    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({
      title: "Invalid Resource",
      detail: `${email} looks fake or invalid, please enter a real email address.`,
    });
  });

  it("refuses a malformed address and a bad domain", async () => {
    const malformed = await put("not-an-address", { status_if_new: "subscribed" });
    const domain = await put("jane@acme_industrial", { status_if_new: "subscribed" });

    expect(malformed.data).toMatchObject({
      title: "Invalid Resource",
      detail: "Please provide a valid email address.",
    });
    expect(domain.status).toBe(400);
    expect((domain.data as { detail: string }).detail).toMatch(
      /^The domain portion of the email address is invalid/,
    );
  });
});

describe("status and status_if_new", () => {
  it("uses status_if_new for a new member, leaves an existing member's status", async () => {
    const email = "r.ortiz@acme-industrial.com";
    const created = await put(email, { status_if_new: "subscribed" });
    await put(email, { status: "unsubscribed", status_if_new: "subscribed" });
    const again = await put(email, {
      status_if_new: "subscribed",
      merge_fields: { FNAME: "Rosa" },
    });

    expect(created.data).toMatchObject({ status: "subscribed", id: subscriberHash(email) });
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ status: "unsubscribed", merge_fields: { FNAME: "Rosa" } });
  });

  it("applies status to new members too, over status_if_new", async () => {
    const response = await put("k.ng@acme-industrial.com", {
      status: "transactional",
      status_if_new: "subscribed",
    });

    expect(response.data).toMatchObject({ status: "transactional" });
  });

  it("refuses to subscribe an unsubscribed member: Member In Compliance State", async () => {
    const email = "l.meyer@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    sandbox.subscriberAction(accountId, listId, { action: "unsubscribe", email, reason: "manual" });
    const response = await put(email, { status: "subscribed", status_if_new: "subscribed" });

    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({
      title: "Member In Compliance State",
      detail:
        `${email} is in a compliance state due to unsubscribe, bounce, or compliance review ` +
        "and cannot be subscribed.",
    });
    expect(sandbox.member(accountId, listId, email)?.status).toBe("unsubscribed");
  });

  it("refuses to subscribe a cleaned member, but allows pending (double opt-in)", async () => {
    const email = "p.kumar@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    sandbox.subscriberAction(accountId, listId, { action: "cleaned", email, reason: "hard" });

    expect(
      (await put(email, { status: "subscribed", status_if_new: "subscribed" })).data,
    ).toMatchObject({
      title: "Member In Compliance State",
    });
    expect((await put(email, { status: "pending", status_if_new: "pending" })).data).toMatchObject({
      status: "pending",
    });
  });

  it("lets the subscriber's own signup end the compliance state", async () => {
    const email = "m.rossi@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    await put(email, { status: "unsubscribed", status_if_new: "subscribed" });
    sandbox.subscriberAction(accountId, listId, { action: "subscribe", email, source: "user" });

    expect(sandbox.member(accountId, listId, email)?.status).toBe("subscribed");
    expect((await put(email, { status: "subscribed", status_if_new: "subscribed" })).status).toBe(
      200,
    );
  });
});

describe("archive and permanent delete", () => {
  it("archives on DELETE and brings the contact back on a later PUT", async () => {
    const email = "a.berg@acme-industrial.com";
    await put(email, { status_if_new: "subscribed", merge_fields: { FNAME: "Anna" } });

    expect((await api.delete(`${members}/${subscriberHash(email)}`)).status).toBe(204);
    expect((await api.get(`${members}/${subscriberHash(email)}`)).data).toMatchObject({
      status: "archived",
    });
    const back = await put(email, { status_if_new: "subscribed" });
    expect(back.data).toMatchObject({ status: "subscribed", merge_fields: { FNAME: "Anna" } });
  });

  it("keeps the compliance state through an archive", async () => {
    const email = "j.wu@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    sandbox.subscriberAction(accountId, listId, { action: "unsubscribe", email });
    await api.delete(`${members}/${subscriberHash(email)}`);

    expect((await put(email, { status_if_new: "subscribed" })).data).toMatchObject({
      title: "Member In Compliance State",
    });
  });

  it("refuses to re-import a permanently deleted address", async () => {
    const email = "t.holm@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    const erased = await api.post(`${members}/${subscriberHash(email)}/actions/delete-permanent`);
    const lookup = await api.get(`${members}/${subscriberHash(email)}`);
    const again = await put(email, { status_if_new: "subscribed" });
    const posted = await api.post(members, { email_address: email, status: "pending" });

    expect(erased.status).toBe(204);
    expect(lookup.status).toBe(404);
    for (const response of [again, posted]) {
      expect(response.status).toBe(400);
      expect(response.data).toMatchObject({
        title: "Forgotten Email Not Subscribed",
        detail:
          `${email} was permanently deleted and cannot be re-imported. ` +
          "The contact must re-subscribe to get back on the list.",
      });
    }
  });
});

describe("subscriber hashes and addresses", () => {
  it("answers Member Exists to POST on an existing address", async () => {
    const email = "e.diaz@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    const response = await api.post(members, { email_address: email, status: "subscribed" });

    expect(response.data).toMatchObject({
      title: "Member Exists",
      detail: `${email} is already a list member. Use PUT to insert or update list members.`,
    });
  });

  it("refuses a hash of the address not lower-cased first", async () => {
    const email = "Sam.Lee@Acme-Industrial.com";
    const wrongHash = createHash("md5").update(email).digest("hex");
    const unknown = await put(email, { status_if_new: "subscribed" }, wrongHash);
    await put(email, { status_if_new: "subscribed" });
    const existing = await put(email, { status_if_new: "subscribed" }, wrongHash);

    expect(unknown.status).toBe(400);
    expect((unknown.data as { errors: { field: string }[] }).errors[0]?.field).toBe(
      "email_address",
    );
    expect(existing.data).toMatchObject({ title: "Member Exists" });
  });

  it("refuses a path address that is not the body's address for a new member", async () => {
    const response = await put(
      "body.address@acme-industrial.com",
      { status_if_new: "subscribed" },
      "path.address@acme-industrial.com",
    );

    expect(response.status).toBe(400);
    expect(sandbox.member(accountId, listId, "body.address@acme-industrial.com")).toBeUndefined();
  });

  it("changes the address with a PUT on the old hash", async () => {
    const before = "old.name@acme-industrial.com";
    const after = "new.name@acme-industrial.com";
    await put(before, { status_if_new: "subscribed" });
    const renamed = await put(after, { status_if_new: "subscribed" }, subscriberHash(before));

    expect(renamed.data).toMatchObject({ email_address: after, id: subscriberHash(after) });
    expect((await api.get(`${members}/${subscriberHash(before)}`)).status).toBe(404);
  });

  it("refuses to rename onto an address already on the list", async () => {
    await put("first.one@acme-industrial.com", { status_if_new: "subscribed" });
    await put("second.one@acme-industrial.com", { status_if_new: "subscribed" });
    const response = await put(
      "second.one@acme-industrial.com",
      { status_if_new: "subscribed" },
      subscriberHash("first.one@acme-industrial.com"),
    );

    expect(response.status).toBe(400);
    expect((response.data as { errors: unknown[] }).errors).toEqual([
      {
        field: "email address",
        message:
          '"second.one@acme-industrial.com" is already in this list with a status of "Subscribed".',
      },
    ]);
  });
});

describe("merge fields", () => {
  beforeEach(async () => {
    await api.post(`/lists/${listId}/merge-fields`, {
      name: "Revenue",
      type: "number",
      tag: "REVENUE",
    });
    await api.post(`/lists/${listId}/merge-fields`, {
      name: "First order",
      type: "date",
      tag: "FIRSTORDER",
    });
    await api.post(`/lists/${listId}/merge-fields`, {
      name: "Plant",
      type: "text",
      tag: "PLANT",
      required: true,
    });
  });

  it("refuses a value of the wrong type: Your merge fields were invalid", async () => {
    const response = await put("v.kaur@acme-industrial.com", {
      status_if_new: "subscribed",
      merge_fields: { PLANT: "Detroit", REVENUE: "a lot", FIRSTORDER: "2024-13-40" },
    });

    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({
      title: "Invalid Resource",
      detail: "Your merge fields were invalid.",
    });
    expect((response.data as { errors: unknown[] }).errors).toEqual([
      { field: "REVENUE", message: "Please enter a number" },
      { field: "FIRSTORDER", message: "Please enter a valid date" },
    ]);
  });

  it("requires required fields on create unless skip_merge_validation is set", async () => {
    const missing = await put("d.ivanov@acme-industrial.com", { status_if_new: "subscribed" });
    const skipped = await api.put(
      `${members}/${subscriberHash("d.ivanov@acme-industrial.com")}?skip_merge_validation=true`,
      { email_address: "d.ivanov@acme-industrial.com", status_if_new: "subscribed" },
    );

    expect((missing.data as { errors: unknown[] }).errors).toEqual([
      { field: "PLANT", message: "Please enter a value" },
    ]);
    expect(skipped.status).toBe(200);
  });

  it("stores typed values: numbers, ISO dates, complete addresses", async () => {
    const response = await put("h.sato@acme-industrial.com", {
      status_if_new: "subscribed",
      merge_fields: {
        PLANT: "Toledo",
        REVENUE: "1200.50",
        FIRSTORDER: "03/15/2024",
        ADDRESS: { addr1: "9 Mill Rd", city: "Toledo", state: "OH", zip: "43604" },
      },
    });

    expect(response.data).toMatchObject({
      merge_fields: {
        PLANT: "Toledo",
        REVENUE: 1200.5,
        FIRSTORDER: "2024-03-15",
        ADDRESS: {
          addr1: "9 Mill Rd",
          addr2: "",
          city: "Toledo",
          state: "OH",
          zip: "43604",
          country: "US",
        },
        LNAME: "",
      },
    });
  });

  it("refuses incomplete addresses and non-scalar values", async () => {
    const emptyZip = await put("z.ali@acme-industrial.com", {
      status_if_new: "subscribed",
      merge_fields: {
        PLANT: "X",
        ADDRESS: { addr1: "1 A St", city: "Flint", state: "MI", zip: "" },
      },
    });
    const missingKeys = await put("z.ali@acme-industrial.com", {
      status_if_new: "subscribed",
      merge_fields: { PLANT: "X", ADDRESS: { addr1: "1 A St" }, FNAME: { first: "Z" } },
    });

    expect((emptyZip.data as { errors: unknown[] }).errors).toEqual([
      { field: "ADDRESS", message: "Please enter a complete address" },
    ]);
    expect(missingKeys.data).toMatchObject({
      title: "Invalid Resource",
      errors: [
        {
          field: "merge_fields.FNAME",
          message: "Data did not match any of the schemas described in anyOf.",
        },
        {
          field: "merge_fields.ADDRESS",
          message: "Data did not match any of the schemas described in anyOf.",
        },
      ],
    });
  });
});

describe("tags and interests", () => {
  it("adds and removes tags, case-insensitively, answering 204", async () => {
    const email = "g.novak@acme-industrial.com";
    await put(email, { status_if_new: "subscribed" });
    const path = `${members}/${subscriberHash(email)}/tags`;

    const added = await api.post(path, {
      tags: [
        { name: "Plex-Customer", status: "active" },
        { name: "plex-customer", status: "active" },
        { name: "Industrial", status: "active" },
      ],
    });
    await api.post(path, { tags: [{ name: "INDUSTRIAL", status: "inactive" }] });
    const listed = await api.get(path);

    expect(added.status).toBe(204);
    expect(added.data).toBe("");
    expect((listed.data as { tags: { name: string }[] }).tags.map((tag) => tag.name)).toEqual([
      "Plex-Customer",
    ]);
  });

  it("refuses interests the audience does not have", async () => {
    const response = await put("q.li@acme-industrial.com", {
      status_if_new: "subscribed",
      interests: { abc: true },
    });

    expect(response.data).toMatchObject({
      title: "Invalid Resource",
      detail: "Invalid interest ID: 'abc'.",
    });
  });
});
