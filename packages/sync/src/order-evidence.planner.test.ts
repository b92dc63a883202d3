import { describe, expect, it } from "vitest";

import type {
  TPlexArInvoice,
  TPlexPart,
  TPlexRelease,
  TPlexSalesOrder,
} from "@ml-connector/plex-client";

import { linksOf, releaseNumberCandidates } from "./order-links.js";
import { planOrder, type TOrderEvidence, type TPartIndex } from "./order-evidence.planner.js";

const order: TPlexSalesOrder = {
  id: "o-1",
  customerId: "c-1",
  orderNumber: "SO0000042-01",
  status: "Open",
  shipToAddressId: "a-1",
};

function parts(...list: TPlexPart[]): TPartIndex {
  const index: TPartIndex = { byId: new Map(), byNumber: new Map() };
  for (const part of list) {
    index.byId.set(part.id, part);
    const number = part.number!.toLowerCase();
    index.byNumber.set(number, index.byNumber.has(number) ? "ambiguous" : part);
  }

  return index;
}

const bracket = { id: "p-1", number: "BR-10001", productType: "Brackets" };
const housing = { id: "p-2", number: "HO-10002", productType: "Housings" };

function release(
  id: string,
  lineId: string,
  partNumber: string,
  extra: Partial<TPlexRelease> = {},
) {
  return {
    id,
    orderLineId: lineId,
    releaseNumber: `SO0000042-01-${lineId.slice(-1)}-1`,
    partNumber,
    quantity: 10,
    quantityShipped: 0,
    status: "Open",
    shipToAddressId: "a-1",
    ...extra,
  } as TPlexRelease;
}

function invoice(lines: Record<string, unknown>[], extra: Partial<TPlexArInvoice> = {}) {
  return {
    id: "i-1",
    customerId: "c-1",
    customerOrderNos: "SO0000042-01",
    currencyCode: "EUR",
    amount: 100,
    lines,
    ...extra,
  } as TPlexArInvoice;
}

function evidence(extra: Partial<TOrderEvidence>): TOrderEvidence {
  return { order, releases: [], prices: [], invoices: [], shipperLines: [], ...extra };
}

describe("release numbers and link tags", () => {
  it("offers every prefix of a release number up to a separator as the order's number", () => {
    expect(releaseNumberCandidates("SO0000042-01-2-1")).toEqual([
      "so0000042-01-2-1",
      "so0000042",
      "so0000042-01",
      "so0000042-01-2",
    ]);
    expect(releaseNumberCandidates("  ")).toEqual([]);
  });

  it("tags an invoice with every order and shipper it names", () => {
    const tags = linksOf("invoice", {
      customerOrderNos: "SO1, so2",
      shipperNo: "SH9",
      lines: [{ customerOrderNo: "SO3", shipperId: "s-7" }],
    });

    expect(tags).toEqual(
      expect.arrayContaining(["no:so1", "no:so2", "no:so3", "shipno:sh9", "shipper:s-7"]),
    );
  });
});

describe("planOrder", () => {
  it("infers the lines from the releases naming the order, and prices them from its invoice", () => {
    const plan = planOrder(
      evidence({
        releases: [
          release("r-1", "l-1", "BR-10001", { quantityShipped: 10, status: "Shipped" }),
          release("r-2", "l-2", "ho-10002"),
        ],
        invoices: [invoice([{ customerOrderNo: "SO0000042-01", partId: "p-1", unitPrice: 7.5 }])],
      }),
      parts(bracket, housing),
    );

    expect(plan.linesSource).toBe("inferred");
    expect(plan.lines!.map((line) => [line.id, line.partId, line.lineNumber])).toEqual([
      ["l-1", "p-1", "1"],
      ["l-2", "p-2", "2"],
    ]);
    expect(plan.prices).toEqual([
      expect.objectContaining({ orderLineId: "l-1", price: 7.5, currencyCode: "EUR" }),
    ]);
    // Nothing billed or shipped l-2 yet: its price must be read from Plex.
    expect(plan.unpricedLineIds).toEqual(["l-2"]);
  });

  it("takes the price of the shipper lines that shipped a line when no invoice billed it", () => {
    const plan = planOrder(
      evidence({
        releases: [release("r-1", "l-1", "BR-10001", { quantityShipped: 4 })],
        shipperLines: [{ id: "sl-1", shipperId: "s-1", releaseId: "r-1", price: 3.25 }],
      }),
      parts(bracket),
    );

    expect(plan.prices).toEqual([expect.objectContaining({ orderLineId: "l-1", price: 3.25 })]);
    expect(plan.unpricedLineIds).toEqual([]);
  });

  it("asks for the lines when the releases cannot stand in for them", () => {
    const unknownPart = planOrder(
      evidence({ releases: [release("r-1", "l-1", "XX-99999")] }),
      parts(bracket),
    );
    const otherAddress = planOrder(
      evidence({ releases: [release("r-1", "l-1", "BR-10001", { shipToAddressId: "a-9" })] }),
      parts(bracket),
    );
    const billedElsewhere = planOrder(
      evidence({
        releases: [release("r-1", "l-1", "BR-10001")],
        invoices: [invoice([{ customerOrderNo: "SO0000042-01", partId: "p-2", unitPrice: 1 }])],
      }),
      parts(bracket, housing),
    );
    const ambiguous = planOrder(
      evidence({ releases: [release("r-1", "l-1", "BR-10001")] }),
      parts(bracket, { id: "p-9", number: "br-10001" }),
    );
    const nothing = planOrder(evidence({}), parts(bracket));

    for (const plan of [unknownPart, otherAddress, billedElsewhere, ambiguous, nothing]) {
      expect(plan.lines).toBeUndefined();
      expect(plan.inferenceProblem).toBeTruthy();
    }
    expect(billedElsewhere.inferenceProblem).toContain("p-2");
  });

  it("prefers lines read from Plex and keeps their prices, asking nothing more", () => {
    const plan = planOrder(
      evidence({
        readLines: [{ id: "l-1", orderId: "o-1", partId: "p-1", lineNumber: "1", active: true }],
        releases: [release("r-1", "l-1", "BR-10001"), release("r-9", "l-9", "BR-10001")],
        prices: [{ id: "pr-1", orderLineId: "l-1", price: 9, primaryPrice: true, active: true }],
      }),
      parts(bracket),
    );

    expect(plan.linesSource).toBe("read");
    expect(plan.releases.map((entry) => entry.id)).toEqual(["r-1"]);
    expect(plan.prices.map((price) => price.id)).toEqual(["pr-1"]);
    expect(plan.unpricedLineIds).toEqual([]);
  });

  it("needs no price for cancelled lines, nor for any line of a cancelled order", () => {
    const cancelledLine = planOrder(
      evidence({ releases: [release("r-1", "l-1", "BR-10001", { status: "Canceled" })] }),
      parts(bracket),
    );
    const cancelledOrder = planOrder(
      evidence({
        order: { ...order, status: "Canceled" },
        releases: [release("r-1", "l-1", "BR-10001")],
      }),
      parts(bracket),
    );

    expect(cancelledLine.unpricedLineIds).toEqual([]);
    expect(cancelledOrder.unpricedLineIds).toEqual([]);
  });

  it("does not trust an invoice that bills one part at two prices", () => {
    const plan = planOrder(
      evidence({
        releases: [release("r-1", "l-1", "BR-10001", { quantityShipped: 10 })],
        invoices: [
          invoice([
            { customerOrderNo: "SO0000042-01", partId: "p-1", unitPrice: 7.5 },
            { customerOrderNo: "SO0000042-01", partId: "p-1", unitPrice: 7.0 },
          ]),
        ],
      }),
      parts(bracket),
    );

    expect(plan.unpricedLineIds).toEqual(["l-1"]);
  });
});
