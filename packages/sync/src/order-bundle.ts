/**
 * What the poller hands the writer for one sales order: the order and every Plex record linked
 * to it, as gathered and completed by the assembler. Stored as the order's sync_records source
 * data, so the writer maps it without calling Plex and an operator's replay maps it again.
 */
import type {
  TPlexArInvoice,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipper,
} from "@ml-connector/plex-client";

export type TOrderBundle = {
  order: TPlexSalesOrder;
  lines: TPlexOrderLine[];
  /** read: Plex's order lines; inferred: from the releases naming the order; unknown: neither. */
  linesSource: "read" | "inferred" | "unknown";
  /** Line prices read from Plex, or taken from the invoice or shipper lines that billed them. */
  prices: TPlexLinePrice[];
  releases: TPlexRelease[];
  /** The customer shippers that carried the order (named by its invoices or shipper lines). */
  shippers: TPlexShipper[];
  invoices: TPlexArInvoice[];
  /** Carrier id → name, for tracking_carrier. */
  carrierNames: Record<string, string>;
};
