/**
 * Test support: what a Plex sales order should look like in Mailchimp, worked out the long way —
 * from the order's own lines, line prices, releases and invoices, read one by one (the reads the
 * connector avoids) — so the integration tests compare the connector's result with Plex itself.
 */
import type { PlexConnectClient } from "@ml-connector/plex-client";

type TRow = Record<string, unknown>;

export type TTruth = {
  cancelled: boolean;
  orderDate: string;
  total: number;
  lines: { partId: string; quantity: number; price: number }[];
  fulfillment: "pending" | "partially_shipped" | "shipped";
  financial: "pending" | "paid";
  /** Product types of the parts the order sells. */
  categories: string[];
};

const text = (value: unknown) => (typeof value === "string" ? value : "");
const cancelled = (status: unknown) => /cancel/i.test(text(status));
const cents = (value: number) => Math.round(value * 100) / 100;

export async function plexTruth(client: PlexConnectClient, orderId: string): Promise<TTruth> {
  const [order] = (await client.list("/sales/v1/orders", { query: { id: [orderId] } })) as TRow[];
  if (order === undefined) throw new Error(`order ${orderId} not in Plex`);
  const lines = (await client.list("/sales/v1/orders/{id}/lines", {
    pathParams: { id: orderId },
  })) as TRow[];
  const releases = (await client.list("/sales/v1/releases", {
    query: { orderLineIds: lines.map((line) => String(line.id)) },
  })) as TRow[];
  const orderCancelled =
    cancelled(order.status) || (releases.length > 0 && releases.every((r) => cancelled(r.status)));

  const sold: TTruth["lines"] = [];
  for (const line of lines) {
    if (!orderCancelled && line.active === false) continue;
    const quantity = releases
      .filter((release) => release.orderLineId === line.id)
      .filter((release) => orderCancelled || !cancelled(release.status))
      .reduce((sum, release) => sum + Number(release.quantity), 0);
    if (quantity === 0) continue;
    const prices = (await client.list("/sales/v1/orders/{id}/lines/{lineId}/prices", {
      pathParams: { id: orderId, lineId: String(line.id) },
    })) as TRow[];
    const primary = prices.find((price) => price.primaryPrice === true) ?? prices[0];
    sold.push({ partId: String(line.partId), quantity, price: Number(primary?.price) });
  }
  const total = cents(sold.reduce((sum, line) => sum + line.quantity * line.price, 0));

  const live = releases.filter((release) => !cancelled(release.status));
  const shipped = (release: TRow) => Number(release.quantityShipped ?? 0);
  const fulfillment =
    live.length > 0 && live.every((release) => shipped(release) >= Number(release.quantity))
      ? "shipped"
      : live.some((release) => shipped(release) > 0)
        ? "partially_shipped"
        : "pending";

  const invoices = (
    (await client.list("/accounting/v1/ar-invoices", {
      query: { customerPONo: String(order.poNumber) },
    })) as TRow[]
  ).filter(
    (invoice) =>
      text(invoice.customerOrderNos).includes(text(order.orderNumber)) && invoice.void !== true,
  );
  const invoiced = invoices.reduce((sum, invoice) => sum + Number(invoice.amount), 0);
  const allPaid =
    invoices.length > 0 &&
    invoices.every((invoice) => invoice.paid === true && Number(invoice.balance) === 0);

  const partIds = [...new Set(sold.map((line) => line.partId))];
  const parts =
    partIds.length === 0
      ? []
      : ((await client.list("/mdm/v1/parts", { query: { id: partIds } })) as TRow[]);

  return {
    cancelled: orderCancelled,
    orderDate: String(order.orderDate),
    total,
    lines: sold,
    fulfillment,
    financial: allPaid && invoiced >= total - 0.005 ? "paid" : "pending",
    categories: [...new Set(parts.map((part) => String(part.productType)))],
  };
}
