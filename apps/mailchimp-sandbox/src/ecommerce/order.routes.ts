/**
 * Orders ([SPEC], reference/mailchimp-api.md §4): POST creates and refuses an id that exists
 * (there is no order upsert: the connector must POST, then PATCH), PATCH updates, DELETE
 * removes. Every line must name an existing product and one of its variants, so products are
 * upserted before orders. A customer given only by id must exist; a new one needs
 * `email_address` and `opt_in_status`. Customers' `orders_count` and `total_spent` follow.
 * The wording of these refusals is not published; the sandbox's is in the README.
 */
import { noContent, ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { problems, type TFieldError } from "../http/api-problem.js";
import { param } from "../lists/list.lookup.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TOrder, TOrderLine, TStore } from "../state/ecommerce.model.js";
import { assertRecordSize } from "../state/record-limits.js";
import { serializeOrder, serializeOrderLine } from "./ecommerce.serializer.js";
import {
  assignFields,
  requireStore,
  upsertCustomer,
  type TCustomerInput,
} from "./store.service.js";

const ORDER = "/ecommerce/stores/{store_id}/orders/{order_id}";
const ORDER_WRITABLE = [
  "campaign_id",
  "landing_site",
  "financial_status",
  "fulfillment_status",
  "currency_code",
  "order_total",
  "order_url",
  "discount_total",
  "tax_total",
  "shipping_total",
  "tracking_code",
  "processed_at_foreign",
  "cancelled_at_foreign",
  "updated_at_foreign",
  "shipping_address",
  "billing_address",
  "promos",
  "outreach",
  "tracking_number",
  "tracking_carrier",
  "tracking_url",
];
const LINE_WRITABLE = ["id", "product_id", "product_variant_id", "quantity", "price", "discount"];

function toLine(input: TLineInput, id: string): TOrderLine {
  const line: Record<string, unknown> = {};
  assignFields(line, input, LINE_WRITABLE);

  return { ...(line as TOrderLine), id };
}

type TLineInput = Partial<TOrderLine>;
type TOrderInput = {
  id?: string;
  customer?: TCustomerInput & { id?: string };
  order_total?: number;
  lines?: TLineInput[];
} & Record<string, unknown>;

function requireOrder(call: TApiCall): { store: TStore; order: TOrder } {
  const store = requireStore(call);
  const order = store.orders.get(param(call.params, "order_id"));
  if (order === undefined) throw problems.notFound();

  return { store, order };
}

/** Lines must reference existing products and variants. */
function checkLines(store: TStore, lines: TLineInput[]): void {
  const errors: TFieldError[] = [];
  lines.forEach((line, index) => {
    const product = store.products.get(line.product_id ?? "");
    if (product === undefined) {
      errors.push({
        field: `lines.${index}.product_id`,
        message: `A product with the provided ID '${line.product_id ?? ""}' does not exist.`,
      });
      return;
    }
    if (!product.variants.has(line.product_variant_id ?? "")) {
      errors.push({
        field: `lines.${index}.product_variant_id`,
        message:
          `A product variant with the provided ID '${line.product_variant_id ?? ""}' ` +
          "does not exist.",
      });
    }
  });
  if (errors.length > 0) throw problems.invalidResource(errors);
}

function resolveCustomer(
  ctx: SandboxContext,
  call: TApiCall,
  store: TStore,
  input: TOrderInput["customer"],
): string {
  const id = input?.id ?? "";
  if (store.customers.has(id)) {
    if (input !== undefined && Object.keys(input).length > 1)
      upsertCustomer(ctx, call, store, id, input, "update");
    return id;
  }
  if (input?.email_address === undefined || input.opt_in_status === undefined) {
    throw problems.invalidResource([
      {
        field: "customer",
        message:
          "A new customer needs email_address and opt_in_status " +
          "(the customer does not exist in this store).",
      },
    ]);
  }
  upsertCustomer(ctx, call, store, id, input, "create");

  return id;
}

function adjustCustomer(store: TStore, customerId: string, orders: number, spent: number): void {
  const customer = store.customers.get(customerId);
  if (customer === undefined) return;
  customer.orders_count = Math.max(0, customer.orders_count + orders);
  customer.total_spent = Math.round((customer.total_spent + spent) * 100) / 100;
}

function createOrder(call: TApiCall, ctx: SandboxContext) {
  const store = requireStore(call);
  const body = call.body as TOrderInput & { id: string; lines: TLineInput[]; order_total: number };
  if (store.orders.has(body.id)) {
    throw problems.invalidResourceDetail("An order with the provided ID already exists.");
  }
  checkLines(store, body.lines);
  const duplicateLine = body.lines.find(
    (line, index) => body.lines.findIndex((other) => other.id === line.id) !== index,
  );
  if (duplicateLine !== undefined) {
    throw problems.invalidResource([
      { field: "lines.id", message: `Line id '${duplicateLine.id ?? ""}' is used twice.` },
    ]);
  }

  const now = ctx.clock.isoNow();
  const order: TOrder = {
    id: body.id,
    customer_id: "",
    currency_code: "",
    order_total: 0,
    lines: body.lines.map((line) => toLine(line, line.id ?? "")),
    created_at: now,
    updated_at: now,
  };
  assignFields(order, body, ORDER_WRITABLE);
  assertRecordSize(order, ctx.options.limits.maxRecordBytes);
  order.customer_id = resolveCustomer(ctx, call, store, body.customer);

  store.orders.set(order.id, order);
  adjustCustomer(store, order.customer_id, 1, order.order_total);

  return ok(serializeOrder(call.apiBase, store, order));
}

function updateOrder(call: TApiCall, ctx: SandboxContext) {
  const { store, order } = requireOrder(call);
  const body = call.body as TOrderInput;
  const draft: TOrder = { ...structuredClone(order) };

  if (body.lines !== undefined) {
    // PATCH line items carry no id in the spec: they replace the lines in order, keeping ids.
    checkLines(store, body.lines);
    draft.lines = body.lines.map((line, index) =>
      toLine(line, line.id ?? order.lines[index]?.id ?? `${order.id}-line-${index + 1}`),
    );
  }
  assignFields(draft, body, ORDER_WRITABLE);
  draft.updated_at = ctx.clock.isoNow();
  assertRecordSize(draft, ctx.options.limits.maxRecordBytes);
  if (body.customer !== undefined && Object.keys(body.customer).length > 0) {
    upsertCustomer(ctx, call, store, order.customer_id, body.customer, "update");
  }

  adjustCustomer(store, order.customer_id, 0, draft.order_total - order.order_total);
  Object.assign(order, draft);

  return ok(serializeOrder(call.apiBase, store, order));
}

export const ORDER_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/ecommerce/stores/{store_id}/orders",
    handle: (call) => {
      const store = requireStore(call);
      let orders = [...store.orders.values()];
      if (call.query.customer_id !== undefined) {
        orders = orders.filter((order) => order.customer_id === call.query.customer_id);
      }

      return ok({
        store_id: store.id,
        orders: page(orders, call.query).map((order) => serializeOrder(call.apiBase, store, order)),
        total_items: orders.length,
        _links: [],
      });
    },
  },
  { method: "post", path: "/ecommerce/stores/{store_id}/orders", handle: createOrder },
  {
    method: "get",
    path: ORDER,
    handle: (call) => {
      const { store, order } = requireOrder(call);

      return ok(serializeOrder(call.apiBase, store, order));
    },
  },
  { method: "patch", path: ORDER, handle: updateOrder },
  {
    method: "delete",
    path: ORDER,
    handle: (call) => {
      const { store, order } = requireOrder(call);
      store.orders.delete(order.id);
      adjustCustomer(store, order.customer_id, -1, -order.order_total);

      return noContent();
    },
  },
  {
    method: "get",
    path: `${ORDER}/lines`,
    handle: (call) => {
      const { store, order } = requireOrder(call);

      return ok({
        store_id: store.id,
        order_id: order.id,
        lines: page(order.lines, call.query).map((line) =>
          serializeOrderLine(call.apiBase, store, order, line),
        ),
        total_items: order.lines.length,
        _links: [],
      });
    },
  },
];
