/**
 * In-memory shapes of e-commerce stores and what they hold. Ids are client-defined, as in
 * Mailchimp ([ECOM], reference/mailchimp-api.md §4).
 */
export type TRecord = Record<string, unknown>;

export type TStoreCustomer = TRecord & {
  id: string;
  email_address: string;
  opt_in_status: boolean;
  orders_count: number;
  total_spent: number;
  created_at: string;
  updated_at: string;
};

export type TProductVariant = TRecord & {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
};

export type TProduct = TRecord & {
  id: string;
  title: string;
  variants: Map<string, TProductVariant>;
  created_at: string;
  updated_at: string;
};

export type TOrderLine = TRecord & {
  id: string;
  product_id: string;
  product_variant_id: string;
  quantity: number;
  price: number;
};

export type TOrder = TRecord & {
  id: string;
  customer_id: string;
  currency_code: string;
  order_total: number;
  lines: TOrderLine[];
  created_at: string;
  updated_at: string;
};

export type TStore = TRecord & {
  id: string;
  list_id: string;
  name: string;
  currency_code: string;
  created_at: string;
  updated_at: string;
  customers: Map<string, TStoreCustomer>;
  products: Map<string, TProduct>;
  orders: Map<string, TOrder>;
};
