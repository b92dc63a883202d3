/**
 * E-commerce stores and customers: POST/GET/PATCH/DELETE stores, customers with PUT upsert
 * ([SPEC], reference §4). A store must name an audience of the account and stays bound to it.
 */
import { noContent, ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { problems } from "../http/api-problem.js";
import { param } from "../lists/list.lookup.js";
import type { TStore } from "../state/ecommerce.model.js";
import { assertRecordSize } from "../state/record-limits.js";
import { serializeCustomer, serializeStore } from "./ecommerce.serializer.js";
import {
  assignFields,
  requireStore,
  upsertCustomer,
  type TCustomerInput,
} from "./store.service.js";

const STORE_WRITABLE = [
  "name",
  "platform",
  "domain",
  "is_syncing",
  "email_address",
  "currency_code",
  "money_format",
  "primary_locale",
  "timezone",
  "phone",
  "address",
];
const CUSTOMER = "/ecommerce/stores/{store_id}/customers/{customer_id}";

function storeBody(call: TApiCall, store: TStore) {
  return serializeStore(call.apiBase, store, call.account.lists.has(store.list_id));
}

function requireCustomer(call: TApiCall) {
  const store = requireStore(call);
  const customer = store.customers.get(param(call.params, "customer_id"));
  if (customer === undefined) throw problems.notFound();

  return { store, customer };
}

export const STORE_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/ecommerce/stores",
    handle: (call) => {
      const stores = [...call.account.stores.values()];

      return ok({
        stores: page(stores, call.query).map((store) => storeBody(call, store)),
        total_items: stores.length,
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: "/ecommerce/stores",
    handle: (call, ctx) => {
      const body = call.body as {
        id: string;
        list_id: string;
        name: string;
        currency_code: string;
      };
      if (call.account.stores.has(body.id)) {
        throw problems.invalidResourceDetail("A store with the provided ID already exists.");
      }
      if (!call.account.lists.has(body.list_id)) {
        throw problems.invalidResource([
          { field: "list_id", message: "The list could not be found." },
        ]);
      }
      const now = ctx.clock.isoNow();
      const store: TStore = {
        id: body.id,
        list_id: body.list_id,
        name: body.name,
        currency_code: body.currency_code,
        created_at: now,
        updated_at: now,
        customers: new Map(),
        products: new Map(),
        orders: new Map(),
      };
      assignFields(store, body, STORE_WRITABLE);
      assertRecordSize(store, ctx.options.limits.maxRecordBytes);
      call.account.stores.set(store.id, store);

      return ok(storeBody(call, store));
    },
  },
  {
    method: "get",
    path: "/ecommerce/stores/{store_id}",
    handle: (call) => ok(storeBody(call, requireStore(call))),
  },
  {
    method: "patch",
    path: "/ecommerce/stores/{store_id}",
    handle: (call, ctx) => {
      const store = requireStore(call);
      const body = call.body as Record<string, unknown>;
      if (body.list_id !== undefined && body.list_id !== store.list_id) {
        // [ECOM]: "After a store is created and tied to an audience, it cannot be connected to a
        // different audience."
        throw problems.invalidResource([
          { field: "list_id", message: "A store cannot be connected to a different audience." },
        ]);
      }
      const draft: TStore = { ...store };
      assignFields(draft, body, STORE_WRITABLE);
      draft.updated_at = ctx.clock.isoNow();
      assertRecordSize(draft, ctx.options.limits.maxRecordBytes);
      Object.assign(store, draft);

      return ok(storeBody(call, store));
    },
  },
  {
    method: "delete",
    path: "/ecommerce/stores/{store_id}",
    handle: (call) => {
      call.account.stores.delete(requireStore(call).id);

      return noContent();
    },
  },
  {
    method: "get",
    path: "/ecommerce/stores/{store_id}/customers",
    handle: (call) => {
      const store = requireStore(call);
      let customers = [...store.customers.values()];
      const email = call.query.email_address?.toLowerCase();
      if (email !== undefined)
        customers = customers.filter((c) => c.email_address.toLowerCase() === email);

      return ok({
        store_id: store.id,
        customers: page(customers, call.query).map((customer) =>
          serializeCustomer(call.apiBase, store, customer),
        ),
        total_items: customers.length,
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: "/ecommerce/stores/{store_id}/customers",
    handle: (call, ctx) => {
      const store = requireStore(call);
      const body = call.body as TCustomerInput & { id: string };
      const customer = upsertCustomer(ctx, call, store, body.id, body, "create");

      return ok(serializeCustomer(call.apiBase, store, customer));
    },
  },
  {
    method: "get",
    path: CUSTOMER,
    handle: (call) => {
      const { store, customer } = requireCustomer(call);

      return ok(serializeCustomer(call.apiBase, store, customer));
    },
  },
  {
    method: "put",
    path: CUSTOMER,
    handle: (call, ctx) => {
      const store = requireStore(call);
      const id = param(call.params, "customer_id");
      const customer = upsertCustomer(ctx, call, store, id, call.body as TCustomerInput, "upsert");

      return ok(serializeCustomer(call.apiBase, store, customer));
    },
  },
  {
    method: "patch",
    path: CUSTOMER,
    handle: (call, ctx) => {
      const store = requireStore(call);
      const id = param(call.params, "customer_id");
      const customer = upsertCustomer(ctx, call, store, id, call.body as TCustomerInput, "update");

      return ok(serializeCustomer(call.apiBase, store, customer));
    },
  },
  {
    method: "delete",
    path: CUSTOMER,
    handle: (call) => {
      const { store, customer } = requireCustomer(call);
      store.customers.delete(customer.id);

      return noContent();
    },
  },
];
