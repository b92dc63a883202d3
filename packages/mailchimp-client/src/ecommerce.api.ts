/**
 * E-commerce calls (reference mailchimp-api.md §4): stores bound to an audience, customers and
 * product variants are upserted with PUT; products are created with POST and changed with PATCH;
 * orders have no upsert at all — create with POST, change with PATCH.
 */
import type { MailchimpClient } from "./mailchimp.client.js";

export type TAddress = {
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  province_code?: string;
  postal_code?: string;
  country?: string;
  country_code?: string;
};

export type TStore = {
  id: string;
  list_id: string;
  name: string;
  currency_code: string;
  platform?: string;
  is_syncing?: boolean;
  timezone?: string;
};

export type TEcommerceCustomer = {
  id: string;
  email_address: string;
  opt_in_status: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  address?: TAddress;
};

export type TProductVariant = {
  id: string;
  title: string;
  sku?: string;
  price?: number;
};

export type TProduct = {
  id: string;
  title: string;
  handle?: string;
  type?: string;
  vendor?: string;
  description?: string;
  variants: TProductVariant[];
};

export type TOrderLine = {
  id: string;
  product_id: string;
  product_variant_id: string;
  quantity: number;
  price: number;
};

export type TOrder = {
  id: string;
  customer: { id: string; email_address?: string; opt_in_status?: boolean };
  currency_code: string;
  order_total: number;
  lines: TOrderLine[];
  financial_status?: string;
  fulfillment_status?: string;
  processed_at_foreign?: string;
  cancelled_at_foreign?: string;
  updated_at_foreign?: string;
  tracking_number?: string;
  tracking_carrier?: string;
};

const stores = "/ecommerce/stores";
const store = (storeId: string) => `${stores}/${encodeURIComponent(storeId)}`;

export function getStore(client: MailchimpClient, storeId: string) {
  return client.get<TStore>(store(storeId));
}

export function createStore(client: MailchimpClient, body: TStore) {
  return client.post<TStore>(stores, body);
}

export function updateStore(client: MailchimpClient, storeId: string, body: Partial<TStore>) {
  return client.patch<TStore>(store(storeId), body);
}

export function upsertCustomer(client: MailchimpClient, storeId: string, body: TEcommerceCustomer) {
  return client.put<TEcommerceCustomer>(
    `${store(storeId)}/customers/${encodeURIComponent(body.id)}`,
    body,
  );
}

export function createProduct(client: MailchimpClient, storeId: string, body: TProduct) {
  return client.post<TProduct>(`${store(storeId)}/products`, body);
}

export function updateProduct(
  client: MailchimpClient,
  storeId: string,
  productId: string,
  body: Partial<TProduct>,
) {
  return client.patch<TProduct>(
    `${store(storeId)}/products/${encodeURIComponent(productId)}`,
    body,
  );
}

export function upsertVariant(
  client: MailchimpClient,
  storeId: string,
  productId: string,
  variant: TProductVariant,
) {
  const path = `${store(storeId)}/products/${encodeURIComponent(productId)}/variants`;

  return client.put<TProductVariant>(`${path}/${encodeURIComponent(variant.id)}`, variant);
}

export function getOrder(client: MailchimpClient, storeId: string, orderId: string) {
  return client.get<TOrder>(`${store(storeId)}/orders/${encodeURIComponent(orderId)}`);
}

export function createOrder(client: MailchimpClient, storeId: string, body: TOrder) {
  return client.post<TOrder>(`${store(storeId)}/orders`, body);
}

export function updateOrder(
  client: MailchimpClient,
  storeId: string,
  orderId: string,
  body: Partial<TOrder>,
) {
  return client.patch<TOrder>(`${store(storeId)}/orders/${encodeURIComponent(orderId)}`, body);
}
