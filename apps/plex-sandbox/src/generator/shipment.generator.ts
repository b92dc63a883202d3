/**
 * The shipping and billing side of the seeded plant, and with it the whole plant (PlexPlant):
 * customer shippers (one per order and ship wave, with carrier and tracking number), their lines
 * (one per release that shipped in the wave), and AR invoices (one per shipper, open or paid).
 * All of it follows from orderFacts (order.generator.ts).
 */
import { CARRIERS, FREIGHT_TERMS } from "./plant.vocabulary.js";
import { DAY_MS, Stream, iso } from "./plant.generator.js";
import { MAX_LINES, MAX_WAVES, OrderGenerator, type TOrderFacts } from "./order.generator.js";
import { Rng, hash32 } from "./prng.js";

export {
  MAX_LINES,
  MAX_ORDERS_PER_CUSTOMER,
  MAX_WAVES,
  type TOrderFacts,
} from "./order.generator.js";

export class PlexPlant extends OrderGenerator {
  shipperPacked(i: number, k: number, w: number): number {
    return this.orderPacked(i, k) * MAX_WAVES + w;
  }

  /** Wave w of an order has a shipper when something left the dock in it. */
  hasShipper(facts: TOrderFacts, w: number): boolean {
    return w < facts.waveCount && facts.shippedMs[w] !== null;
  }

  shipperNumber(i: number, k: number, w: number): string {
    return `SH${String(this.shipperPacked(i, k, w)).padStart(10, "0")}`;
  }

  trackingNumber(rng: Rng, carrier: number): string {
    const style = CARRIERS[carrier]!.tracking;
    if (style === "ups") return `1Z${rng.hex(6).toUpperCase()}${rng.digits(10)}`;
    if (style === "fedex") return rng.digits(12);
    if (style === "dhl") return rng.digits(10);

    return `PRO${rng.digits(9)}`;
  }

  shipper(facts: TOrderFacts, w: number) {
    const { i, k } = facts;
    const rng = new Rng().reseed(hash32(this.seed, Stream.Order, i, k, 10 + w));
    const carrier = rng.int(0, CARRIERS.length - 1);
    const leftDock = facts.shippedMs[w]!;
    const createdMs = leftDock - rng.int(2, 48) * 3_600_000;

    return {
      id: this.ids.encode("shipper", this.shipperPacked(i, k, w)),
      shipperNumber: this.shipperNumber(i, k, w),
      customerId: this.ids.encode("customer", i),
      customerAddressId: this.ids.encode("address", i * 4 + (k % this.addressCount(i))),
      shipDate: iso(leftDock),
      shippedById: this.userId(w + 6),
      carrierId: this.carrierId(carrier),
      freightTerms: rng.pick(FREIGHT_TERMS),
      status: "Shipped",
      trackingNumber: rng.chance(0.95) ? this.trackingNumber(rng, carrier) : null,
      trailerNumber: rng.chance(0.3) ? `TR${rng.digits(5)}` : null,
      note: null,
      scheduledShipDate: iso(facts.plannedShipMs[w]!),
      createdById: this.userId(w + 6),
      createdDate: iso(createdMs),
      modifiedById: this.userId(w + 6),
      modifiedDate: iso(leftDock),
      shipperNote: null,
      truckId: null,
      expediteNote: null,
      expediteReason: null,
      expediteDepartment: null,
      expediteAuthorizedById: null,
      expediteAdditionalCost: 0,
      shipFromCode: "PLT1",
      truckArrivalTime: null,
      printedById: this.userId(w + 6),
      printedDate: iso(createdMs),
      freightAmount: Math.round(rng.next() * 400 * 100) / 100,
      bolNote: null,
      customsExporter: null,
      deliveryDateTime: iso(leftDock + rng.int(1, 5) * DAY_MS),
      dropshipSupplierCode: null,
      dropshipSupplierId: null,
      shipperChargeAmount: 0,
      masterBolNo: null,
      pallets: rng.int(1, 12),
      premiumTransAuth: null,
      truckConfirmation: null,
      truckCalledDate: null,
      grossWeightOverride: null,
      mrn: null,
      mrnDate: null,
      mrnType: null,
      routingAuthorizationNumber: null,
      shipperWeight: rng.int(40, 9_000),
      pickListPrintedDateTime: iso(createdMs),
      truckArrivalTimeOfDay: null,
    };
  }

  /** Lines of the shipper of wave w: one per order line that shipped something in it. */
  shipperLineIndexes(facts: TOrderFacts, w: number): number[] {
    const lines: number[] = [];
    for (let l = 0; l < facts.lineCount; l += 1) {
      if (facts.shipped[l * facts.waveCount + w]! > 0) lines.push(l);
    }

    return lines;
  }

  shipperLine(facts: TOrderFacts, w: number, l: number) {
    const { i, k } = facts;
    const quantity = facts.shipped[l * facts.waveCount + w]!;
    const net = Math.round(quantity * 0.42 * 100) / 100;

    return {
      id: this.ids.encode("shipperLine", this.shipperPacked(i, k, w) * MAX_LINES + l),
      shipperId: this.ids.encode("shipper", this.shipperPacked(i, k, w)),
      partId: this.ids.encode("part", facts.partIndex[l]!),
      quantity,
      releaseId: this.ids.encode("release", this.releasePacked(i, k, l, w)),
      price: facts.price[l]!,
      customerPartId: null,
      priceId: this.ids.encode("linePrice", this.linePacked(i, k, l) * 4),
      grossWeight: Math.round(net * 1.08 * 100) / 100,
      netWeight: net,
      tareWeight: Math.round(net * 0.08 * 100) / 100,
      shipperLineNote: null,
      packingComplete: true,
      conversion: 1,
    };
  }

  hasInvoice(facts: TOrderFacts, w: number): boolean {
    return w < facts.waveCount && facts.invoiceMs[w] !== null && facts.invoiceMs[w] !== undefined;
  }

  invoice(facts: TOrderFacts, w: number) {
    const { i, k } = facts;
    const transactionMs = facts.invoiceMs[w]!;
    const paidMs = facts.paidMs[w] ?? null;
    const shipperNo = this.shipperNumber(i, k, w);
    const lines = this.shipperLineIndexes(facts, w).map((l) => {
      const quantity = facts.shipped[l * facts.waveCount + w]!;
      const amount = Math.round(quantity * facts.price[l]! * 100) / 100;

      return {
        lineId: this.ids.encode("shipperLine", this.shipperPacked(i, k, w) * MAX_LINES + l),
        accountNumber: "4000-000",
        accountId: null,
        baseSegment: "4000",
        costCenterSegment: "000",
        subAccountSegment: null,
        description: this.partNumber(facts.partIndex[l]!),
        credit: amount,
        debit: 0,
        currencyCredit: amount,
        currencyDebit: 0,
        unitPrice: facts.price[l]!,
        quantity,
        accountingJobNumber: null,
        referenceNo: null,
        itemTaxCode: null,
        voucherDescription: null,
        customerOrderNo: this.orderNumber(i, k),
        poId: null,
        poLineId: null,
        shipperNo,
        shipperLineId: this.ids.encode("shipperLine", this.shipperPacked(i, k, w) * MAX_LINES + l),
        shipperId: this.ids.encode("shipper", this.shipperPacked(i, k, w)),
        uoM: "Ea",
        endUnitNumber: null,
        offset: 0,
        partId: this.ids.encode("part", facts.partIndex[l]!),
        partNo: this.partNumber(facts.partIndex[l]!),
        taxes: [] as unknown[],
      };
    });
    const amount = Math.round(lines.reduce((sum, line) => sum + line.credit, 0) * 100) / 100;
    const order = this.order(facts);
    const periodDisplay = iso(transactionMs).slice(0, 7);

    return {
      id: this.ids.encode("invoice", this.shipperPacked(i, k, w)),
      invoiceNumber: `INV${String(this.shipperPacked(i, k, w)).padStart(10, "0")}`,
      creditMemo: 0,
      customerId: this.ids.encode("customer", i),
      customerCode: this.customerCode(i),
      customerBillToId: order.billToAddressId,
      customerBillToCode: "MAIN",
      customerShipToId: order.shipToAddressId,
      customerShipToCode:
        k % this.addressCount(i) === 0 ? "MAIN" : `PLANT${k % this.addressCount(i)}`,
      customerOrderNos: order.orderNumber,
      customerPONo: order.poNumber,
      buildingCode: "PLT1",
      periodDisplay,
      transactionDate: iso(transactionMs),
      currencyCode: "USD",
      exchangeRate: 1,
      terms: order.terms,
      dueDate: iso(transactionMs + this.termsDays(i) * DAY_MS),
      invoiceNote: null,
      internalNote: null,
      voucherNumber: null,
      status: paidMs === null ? "Open" : "Paid",
      governmentIssuedNumber: null,
      type: "Invoice",
      createdById: this.userId(w + 8),
      createdDate: iso(transactionMs),
      modifiedById: this.userId(w + 8),
      modifiedDate: iso(paidMs ?? transactionMs),
      taxableDate: iso(transactionMs),
      amount,
      currencyAmount: amount,
      paid: paidMs !== null,
      paidDate: paidMs === null ? null : iso(paidMs),
      expectedPayDate: iso(transactionMs + this.termsDays(i) * DAY_MS),
      paidPeriod: paidMs === null ? null : iso(paidMs).slice(0, 7),
      discount: 0,
      discountDueDate: null,
      balance: paidMs === null ? amount : 0,
      currencyBalance: paidMs === null ? amount : 0,
      void: false,
      consolidatedLinkId: null,
      booked: true,
      referenceNo: null,
      shipperNo,
      poNumber: order.poNumber,
      poId: null,
      lines,
    };
  }
}

export type TCustomer = ReturnType<PlexPlant["customer"]>;
export type TShipper = ReturnType<PlexPlant["shipper"]>;
export type TInvoice = ReturnType<PlexPlant["invoice"]>;
