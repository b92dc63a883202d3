/**
 * Link tags of order-side Plex records. Plex ties these records together only loosely (reference
 * plex-api.md §2.8, Appendix B): an order line names its order, a release and a line price name
 * their order line, a shipper line names its shipper and release, an AR invoice names its orders
 * by number as text (`customerOrderNos`, lines' `customerOrderNo`) and its shippers by number and
 * id, and a release names no order at all. Each stored record carries tags for every link it
 * has, so the records of one order are found from either end with one indexed `links && …` query.
 *
 * Tags: `no:<order number>` (lower-cased), `order:<order id>`, `line:<order line id>`,
 * `release:<release id>`, `shipper:<shipper id>`, `shipno:<shipper number>` (lower-cased),
 * `customer:<customer id>`, `carrier:<carrier id>`.
 */
export type TOrderSideKind =
  "order" | "line" | "price" | "release" | "shipper" | "shipper_line" | "invoice";

type TRow = Record<string, unknown>;

/** A trimmed, non-empty identifier or number of at most 120 characters, else undefined. */
export function cleanTag(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const text = String(value).trim();

  return text === "" || text.length > 120 ? undefined : text;
}

const SEPARATOR = /[-/_.\s]/;

export const tag = {
  number: (value: unknown) => prefixed("no", cleanTag(value)?.toLowerCase()),
  order: (value: unknown) => prefixed("order", cleanTag(value)),
  line: (value: unknown) => prefixed("line", cleanTag(value)),
  release: (value: unknown) => prefixed("release", cleanTag(value)),
  shipper: (value: unknown) => prefixed("shipper", cleanTag(value)),
  shipperNumber: (value: unknown) => prefixed("shipno", cleanTag(value)?.toLowerCase()),
  customer: (value: unknown) => prefixed("customer", cleanTag(value)),
  carrier: (value: unknown) => prefixed("carrier", cleanTag(value)),
};

function prefixed(prefix: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${prefix}:${value}`;
}

function unique(tags: (string | undefined)[]): string[] {
  return [...new Set(tags.filter((value): value is string => value !== undefined))].sort();
}

/** Order numbers an AR invoice names: its `customerOrderNos` text and its lines' numbers. */
export function invoiceOrderNumbers(invoice: TRow): string[] {
  const text = invoice.customerOrderNos;
  const named = (typeof text === "string" ? text.slice(0, 4_000) : "")
    .split(/[\s,;|]+/)
    .filter((token) => token !== "");
  for (const line of invoiceLines(invoice)) {
    const number = cleanTag(line.customerOrderNo);
    if (number !== undefined) named.push(number);
  }

  return [...new Set(named.map((number) => number.toLowerCase()))];
}

/** The lines an AR invoice carries (`lines[]`, Appendix B), whatever their shape. */
export function invoiceLines(invoice: TRow): TRow[] {
  const lines = invoice.lines;
  if (!Array.isArray(lines)) return [];

  return lines.filter((line): line is TRow => typeof line === "object" && line !== null);
}

/**
 * Order numbers a release number might start with. Plex's release list names the order line
 * but not the order; where a tenant numbers releases after their sales order (`SO1001-1-2`, the
 * sandbox's convention), the order is found without reading each order's lines. Every prefix
 * ending at a separator is a candidate; whether one is an order is decided against the stored
 * orders, and the assembler verifies the result (order-lines.inference.ts).
 */
export function releaseNumberCandidates(releaseNumber: unknown): string[] {
  const number = cleanTag(releaseNumber)?.toLowerCase();
  if (number === undefined) return [];
  const candidates = [number];
  for (let at = 1; at < number.length; at += 1) {
    if (SEPARATOR.test(number[at]!)) candidates.push(number.slice(0, at));
  }

  return [...new Set(candidates)];
}

/** The link tags of a record of `kind`. */
export function linksOf(kind: TOrderSideKind, row: TRow): string[] {
  switch (kind) {
    case "order":
      return unique([
        tag.number(row.orderNumber),
        tag.customer(row.customerId),
        tag.carrier(row.carrierId),
      ]);
    case "line":
      return unique([tag.order(row.orderId)]);
    case "price":
      return unique([tag.line(row.orderLineId)]);
    case "release":
      return unique([
        tag.line(row.orderLineId),
        ...releaseNumberCandidates(row.releaseNumber).map((number) => tag.number(number)),
      ]);
    case "shipper":
      return unique([tag.shipperNumber(row.shipperNumber), tag.customer(row.customerId)]);
    case "shipper_line":
      return unique([tag.release(row.releaseId), tag.shipper(row.shipperId)]);
    case "invoice":
      return unique([
        ...invoiceOrderNumbers(row).map((number) => tag.number(number)),
        tag.shipperNumber(row.shipperNo),
        tag.customer(row.customerId),
        ...invoiceLines(row).flatMap((line) => [
          tag.shipper(line.shipperId),
          tag.shipperNumber(line.shipperNo),
        ]),
      ]);
  }
}

/** Values of the tags with `prefix` (`values(links, "no")` → the order numbers). */
export function tagValues(links: readonly string[], prefix: string): string[] {
  const start = `${prefix}:`;

  return links.filter((link) => link.startsWith(start)).map((link) => link.slice(start.length));
}
