/**
 * Makes a connection's Mailchimp side ready before the first write: the merge fields the mapping
 * fills (created with their types when missing; existing ones, including Mailchimp's defaults
 * such as FNAME, are left as they are) and the e-commerce store bound to the audience. Done once
 * per connection and mapping version; the mark lives in Redis so replicas share it.
 */
import { createHash } from "node:crypto";

import type { Redis } from "ioredis";

import type { TConnectionView } from "@ml-connector/connections";
import {
  MailchimpApiError,
  createMergeField,
  createStore,
  getStore,
  listMergeFields,
  type MailchimpClient,
} from "@ml-connector/mailchimp-client";
import { MERGE_FIELDS } from "@ml-connector/mappers";
import { sleep, type Logger } from "@ml-connector/runtime";

import {
  ensureListWebhook,
  type TListWebhookOutcome,
  type TListWebhookTarget,
} from "./list-webhook.provisioner.js";

const FIELDS_VERSION = createHash("sha256")
  .update(JSON.stringify(MERGE_FIELDS))
  .digest("hex")
  .slice(0, 12);

export type TProvisionResult = {
  created: string[];
  storeCreated: boolean;
  listWebhook?: TListWebhookOutcome;
};

export type TProvisionOptions = {
  /** The list webhook to register (engagement, issue #7); skipped when not given. */
  listWebhook?: Omit<TListWebhookTarget, "listId">;
};

export async function provisionConnection(
  connection: TConnectionView,
  mailchimp: MailchimpClient,
  log: Logger,
  options: TProvisionOptions = {},
): Promise<TProvisionResult> {
  const listId = connection.mailchimp.listId!;
  const existing = new Set((await listMergeFields(mailchimp, listId)).map((field) => field.tag));
  const created: string[] = [];
  for (const field of MERGE_FIELDS) {
    if (existing.has(field.tag)) continue;
    await createMergeField(mailchimp, listId, {
      tag: field.tag,
      name: field.name,
      type: field.type,
      required: false,
      ...(field.options === undefined ? {} : { options: field.options }),
    });
    created.push(field.tag);
  }

  let storeCreated = false;
  const storeId = connection.mailchimp.storeId;
  if (storeId !== null) {
    try {
      await getStore(mailchimp, storeId);
    } catch (err) {
      if (!(err instanceof MailchimpApiError && err.status === 404)) throw err;
      await createStore(mailchimp, {
        id: storeId,
        list_id: listId,
        name: `${connection.name} (Plex)`,
        currency_code: connection.options.currencyCode,
        platform: "Plex Manufacturing Cloud",
      });
      storeCreated = true;
    }
  }
  const listWebhook =
    options.listWebhook === undefined
      ? undefined
      : await ensureListWebhook(mailchimp, { listId, ...options.listWebhook }, log);
  log.info(
    { connectionId: connection.id, mergeFields: created, storeCreated, listWebhook },
    "mailchimp side provisioned",
  );

  return { created, storeCreated, listWebhook };
}

/** Provisions once per connection and merge-field set, across replicas. */
export async function ensureProvisioned(
  redis: Redis,
  prefix: string,
  connection: TConnectionView,
  mailchimp: MailchimpClient,
  log: Logger,
): Promise<void> {
  const key = `${prefix}:provisioned:${connection.id}:${connection.mailchimp.listId}:${FIELDS_VERSION}`;
  const lock = `${key}:lock`;
  // Many write jobs start at once on a new connection: one provisions, the others wait for it,
  // instead of all creating the same merge fields and failing on each other's.
  for (let round = 0; round < 600; round += 1) {
    if ((await redis.exists(key)) === 1) return;
    if ((await redis.set(lock, "1", "PX", 60_000, "NX")) === "OK") {
      try {
        await provisionConnection(connection, mailchimp, log);
        await redis.set(key, new Date().toISOString());
      } finally {
        await redis.del(lock);
      }

      return;
    }
    await sleep(100);
  }
  throw new Error(`provisioning of connection ${connection.id} did not finish in a minute`);
}
