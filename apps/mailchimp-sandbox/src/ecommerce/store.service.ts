/**
 * Rules shared by the e-commerce routes ([ECOM], reference/mailchimp-api.md §4):
 * - a store is bound to one audience and cannot move to another;
 * - a customer's `opt_in_status` decides the status of an address new to the audience
 *   (true → subscribed, false → transactional) and never overwrites an existing contact's, except
 *   that false → true later subscribes the member;
 * - stored records are bounded in size.
 */
import type { TApiCall } from "../api/api-route.js";
import { ApiProblem, problems } from "../http/api-problem.js";
import { param } from "../lists/list.lookup.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TStore, TStoreCustomer } from "../state/ecommerce.model.js";
import { subscriberHash } from "../state/id-generator.js";
import { assertRecordSize } from "../state/record-limits.js";

export type TCustomerInput = {
  id?: string;
  email_address?: string;
  opt_in_status?: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  address?: Record<string, unknown>;
};

export function requireStore(call: TApiCall): TStore {
  const store = call.account.stores.get(param(call.params, "store_id"));
  if (store === undefined) throw problems.notFound();

  return store;
}

/**
 * Copies the fields a client may write (those the spec's request schema names) over a record.
 * Unknown properties are dropped rather than stored, so a record cannot grow by inventions.
 */
export function assignFields(
  target: Record<string, unknown>,
  input: object,
  writable: readonly string[],
): void {
  for (const [key, value] of Object.entries(input)) {
    if (!writable.includes(key) || value === undefined) continue;
    target[key] = structuredClone(value);
  }
}

const CUSTOMER_WRITABLE = [
  "email_address",
  "opt_in_status",
  "company",
  "first_name",
  "last_name",
  "address",
];

/** Creates or replaces a customer and applies its opt-in to the store's audience. */
export function upsertCustomer(
  ctx: SandboxContext,
  call: TApiCall,
  store: TStore,
  customerId: string,
  input: TCustomerInput,
  mode: "create" | "upsert" | "update",
): TStoreCustomer {
  const existing = store.customers.get(customerId);
  if (mode === "create" && existing !== undefined) {
    throw problems.invalidResourceDetail("A customer with the provided ID already exists.");
  }
  if (mode === "update" && existing === undefined) throw problems.notFound();

  const email = input.email_address ?? existing?.email_address ?? "";
  const optedInBefore = existing?.opt_in_status ?? false;
  const now = ctx.clock.isoNow();
  const customer: TStoreCustomer = existing ?? {
    id: customerId,
    email_address: email,
    opt_in_status: false,
    orders_count: 0,
    total_spent: 0,
    created_at: now,
    updated_at: now,
  };
  const draft: TStoreCustomer = { ...structuredClone(customer) };
  assignFields(draft, input, CUSTOMER_WRITABLE);
  draft.updated_at = now;
  assertRecordSize(draft, ctx.options.limits.maxRecordBytes);

  applyOptIn(ctx, call, store, draft, existing === undefined ? undefined : optedInBefore);
  Object.assign(customer, draft);
  store.customers.set(customerId, customer);

  return customer;
}

function applyOptIn(
  ctx: SandboxContext,
  call: TApiCall,
  store: TStore,
  customer: TStoreCustomer,
  optedInBefore: boolean | undefined,
): void {
  const list = call.account.lists.get(store.list_id);
  if (list === undefined) return;

  const member = list.members.get(subscriberHash(customer.email_address));
  if (member === undefined || member.status === "archived") {
    ctx.members.assertAcceptableEmail(list, customer.email_address);
    ctx.members.upsert(
      call.account.id,
      list,
      subscriberHash(customer.email_address),
      {
        email_address: customer.email_address,
        status_if_new: customer.opt_in_status ? "subscribed" : "transactional",
        merge_fields: {},
      },
      { source: call.source, skipMergeValidation: true, sourceLabel: "E-Commerce" },
    );
    return;
  }

  // false → true later subscribes the member; a contact in compliance state stays as it is.
  if (optedInBefore === false && customer.opt_in_status && member.status !== "subscribed") {
    try {
      ctx.members.changeStatus(call.account.id, list, member, "subscribed", {
        source: call.source,
      });
    } catch (err) {
      if (!(err instanceof ApiProblem)) throw err;
    }
  }
}
