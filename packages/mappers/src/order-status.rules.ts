/**
 * Order statuses for Mailchimp, derived from what Plex records after the order: AR invoices give
 * the financial status, releases and customer shippers the fulfilment status and tracking.
 * Mailchimp takes both as free strings and uses them to trigger order notifications (reference
 * mailchimp-api.md §4: pending/pending → confirmation, paid/shipped → invoice and shipping,
 * cancelled → cancellation, refunded → refund).
 */
import type { TPlexArInvoice, TPlexRelease, TPlexShipper } from "@ml-connector/plex-client";

import { cleanText, finiteNumber, parsePlexDate } from "./text.normalizer.js";

export type TFinancialStatus = "pending" | "paid" | "refunded" | "cancelled";
export type TFulfillmentStatus = "pending" | "partially_shipped" | "shipped" | "cancelled";

/** Half a cent: amounts closer than this are equal. */
const CENT = 0.005;

const CANCELLED = /cancel/i;
const VOID = /void|cancel/i;

export function isCancelledStatus(status: unknown): boolean {
  return CANCELLED.test(cleanText(status, 60) ?? "");
}

export function isCancelledRelease(release: TPlexRelease): boolean {
  return isCancelledStatus(release.status);
}

function isVoid(invoice: TPlexArInvoice): boolean {
  return invoice.void === true || VOID.test(cleanText(invoice.status, 60) ?? "");
}

/**
 * Plex marks credit memos with the `creditMemo` column (non-zero) and a negative amount; an
 * invoice type naming a credit counts too. Which of these a tenant fills is not documented
 * (reference plex-api.md lists the field without semantics), so any of them is enough.
 * TODO(#6): confirm against a real tenant whether `creditMemo` is a flag or the credited amount.
 */
export function isCreditMemo(invoice: TPlexArInvoice): boolean {
  const flag = finiteNumber(invoice.creditMemo);
  const type = cleanText((invoice as { type?: unknown }).type, 60) ?? "";

  return (
    (flag !== undefined && flag !== 0) ||
    /credit/i.test(type) ||
    (finiteNumber(invoice.amount) ?? 0) < 0
  );
}

function creditedAmount(invoice: TPlexArInvoice): number {
  const amount = Math.abs(finiteNumber(invoice.amount) ?? 0);

  return amount > 0 ? amount : Math.abs(finiteNumber(invoice.creditMemo) ?? 0);
}

function isPaid(invoice: TPlexArInvoice): boolean {
  const flagged = invoice.paid === true || /^paid$/i.test(cleanText(invoice.status, 60) ?? "");
  const balance = finiteNumber(invoice.balance);

  return flagged && (balance === undefined || Math.abs(balance) < CENT);
}

/**
 * cancelled for a cancelled order; refunded when non-void credit memos cover the order total;
 * paid when the non-void invoices are all paid with no balance and together cover the total
 * (an order half shipped and half invoiced is not paid yet); pending otherwise.
 */
export function financialStatus(
  cancelled: boolean,
  orderTotal: number,
  invoices: readonly TPlexArInvoice[],
): TFinancialStatus {
  if (cancelled) return "cancelled";

  const live = invoices.filter((invoice) => !isVoid(invoice));
  const credits = live.filter(isCreditMemo);
  const charges = live.filter((invoice) => !isCreditMemo(invoice));

  const credited = credits.reduce((sum, invoice) => sum + creditedAmount(invoice), 0);
  if (credits.length > 0 && orderTotal > 0 && credited >= orderTotal - CENT) return "refunded";

  const invoiced = charges.reduce((sum, invoice) => sum + (finiteNumber(invoice.amount) ?? 0), 0);
  const allPaid = charges.length > 0 && charges.every(isPaid);
  if (allPaid && invoiced >= orderTotal - CENT) return "paid";

  return "pending";
}

/**
 * cancelled for a cancelled order; from the live (not cancelled) releases: shipped when every
 * one has shipped its quantity, partially_shipped when something shipped, pending otherwise.
 */
export function fulfillmentStatus(
  cancelled: boolean,
  releases: readonly TPlexRelease[],
): TFulfillmentStatus {
  if (cancelled) return "cancelled";

  const live = releases.filter((release) => !isCancelledRelease(release));
  if (live.length === 0) return "pending";

  const shipped = (release: TPlexRelease) =>
    Math.max(finiteNumber(release.quantityShipped) ?? 0, 0);
  const complete = live.every((release) => {
    const quantity = finiteNumber(release.quantity);

    return quantity !== undefined && shipped(release) >= quantity;
  });
  if (complete) return "shipped";

  return live.some((release) => shipped(release) > 0) ? "partially_shipped" : "pending";
}

export type TTracking = { number: string; carrier?: string };

/** Tracking of the latest shipper (by ship date, then modified date) that has a number. */
export function latestTracking(
  shippers: readonly TPlexShipper[],
  carrierName: (shipper: TPlexShipper) => string | undefined,
): TTracking | undefined {
  const when = (shipper: TPlexShipper) =>
    parsePlexDate(shipper.shipDate) ?? parsePlexDate(shipper.modifiedDate) ?? -Infinity;
  const ordered = [...shippers]
    .filter((shipper) => !VOID.test(cleanText(shipper.status, 60) ?? ""))
    .sort((a, b) => when(b) - when(a) || compareIdsDescending(a, b));

  for (const shipper of ordered) {
    const number = cleanText(shipper.trackingNumber, 100);
    if (number === undefined) continue;
    const carrier = carrierName(shipper);

    return carrier === undefined ? { number } : { number, carrier };
  }

  return undefined;
}

function compareIdsDescending(a: TPlexShipper, b: TPlexShipper): number {
  const left = String(a.id);
  const right = String(b.id);

  return left < right ? 1 : left > right ? -1 : 0;
}
