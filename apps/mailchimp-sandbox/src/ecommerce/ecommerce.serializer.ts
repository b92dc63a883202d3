/**
 * E-commerce resources as the API returns them: the request fields the client sent (only those
 * the official schema names) plus Mailchimp's computed ones (timestamps, counts, store_id).
 */
import { resourceLinks } from "../api/links.js";
import type {
  TOrder,
  TProduct,
  TProductVariant,
  TStore,
  TStoreCustomer,
} from "../state/ecommerce.model.js";

const STORE_FIELDS = [
  "id",
  "list_id",
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
  "created_at",
  "updated_at",
] as const;
const CUSTOMER_FIELDS = [
  "id",
  "email_address",
  "opt_in_status",
  "company",
  "first_name",
  "last_name",
  "orders_count",
  "total_spent",
  "address",
  "created_at",
  "updated_at",
] as const;
const PRODUCT_FIELDS = [
  "id",
  "title",
  "handle",
  "url",
  "description",
  "type",
  "vendor",
  "image_url",
  "images",
  "published_at_foreign",
] as const;
const VARIANT_FIELDS = [
  "id",
  "title",
  "url",
  "sku",
  "price",
  "inventory_quantity",
  "image_url",
  "backorders",
  "visibility",
  "created_at",
  "updated_at",
] as const;
const ORDER_FIELDS = [
  "id",
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
] as const;

function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (record[field] !== undefined) out[field] = structuredClone(record[field]);
  }

  return out;
}

export function serializeStore(
  apiBase: string,
  store: TStore,
  listIsActive: boolean,
): Record<string, unknown> {
  return {
    ...pick(store, STORE_FIELDS),
    list_is_active: listIsActive,
    _links: resourceLinks(apiBase, `/ecommerce/stores/${store.id}`, "/ecommerce/stores"),
  };
}

export function serializeCustomer(
  apiBase: string,
  store: TStore,
  customer: TStoreCustomer,
): Record<string, unknown> {
  const base = `/ecommerce/stores/${store.id}/customers`;

  return {
    ...pick(customer, CUSTOMER_FIELDS),
    _links: resourceLinks(apiBase, `${base}/${customer.id}`, base),
  };
}

export function serializeVariant(
  apiBase: string,
  store: TStore,
  product: TProduct,
  variant: TProductVariant,
): Record<string, unknown> {
  const base = `/ecommerce/stores/${store.id}/products/${product.id}/variants`;

  return {
    ...pick(variant, VARIANT_FIELDS),
    _links: resourceLinks(apiBase, `${base}/${variant.id}`, base),
  };
}

export function serializeProduct(
  apiBase: string,
  store: TStore,
  product: TProduct,
): Record<string, unknown> {
  const base = `/ecommerce/stores/${store.id}/products`;

  return {
    ...pick(product, PRODUCT_FIELDS),
    currency_code: store.currency_code,
    images: Array.isArray(product.images) ? structuredClone(product.images) : [],
    variants: [...product.variants.values()].map((variant) =>
      serializeVariant(apiBase, store, product, variant),
    ),
    _links: resourceLinks(apiBase, `${base}/${product.id}`, base),
  };
}

export function serializeOrder(
  apiBase: string,
  store: TStore,
  order: TOrder,
): Record<string, unknown> {
  const base = `/ecommerce/stores/${store.id}/orders`;
  const customer = store.customers.get(order.customer_id);

  return {
    ...pick(order, ORDER_FIELDS),
    store_id: store.id,
    customer:
      customer === undefined
        ? { id: order.customer_id }
        : serializeCustomer(apiBase, store, customer),
    lines: order.lines.map((line) => serializeOrderLine(apiBase, store, order, line)),
    _links: resourceLinks(apiBase, `${base}/${order.id}`, base),
  };
}

export function serializeOrderLine(
  apiBase: string,
  store: TStore,
  order: TOrder,
  line: TOrder["lines"][number],
): Record<string, unknown> {
  const product = store.products.get(line.product_id);
  const variant = product?.variants.get(line.product_variant_id);
  const base = `/ecommerce/stores/${store.id}/orders/${order.id}/lines`;

  return {
    id: line.id,
    product_id: line.product_id,
    product_title: product?.title ?? "",
    product_variant_id: line.product_variant_id,
    product_variant_title: variant?.title ?? "",
    image_url: typeof variant?.image_url === "string" ? variant.image_url : "",
    quantity: line.quantity,
    price: line.price,
    discount: typeof line.discount === "number" ? line.discount : 0,
    _links: resourceLinks(apiBase, `${base}/${line.id}`, base),
  };
}
