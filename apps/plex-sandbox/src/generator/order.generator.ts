/**
 * The order side of the seeded plant: sales orders with lines and line prices, and releases (the
 * scheduled shipments of each line); shippers and invoices are in shipment.generator.ts.
 * Everything of order (i, k) follows from one `orderFacts` call, so the indexes and the records
 * can never disagree. Statuses tell the fulfilment story the connector maps: pending
 * (Open, nothing shipped), partially shipped (Open with 0 < quantityShipped < quantity), shipped
 * and cancelled (Canceled); invoices are open or paid.
 */
import {
  CARRIERS,
  CONTAINER_TYPES,
  FREIGHT_TERMS,
  INCO_TERMS,
  ORDER_TYPES,
} from "./plant.vocabulary.js";
import { DAY_MS, PlantGenerator, Stream, iso } from "./plant.generator.js";
import { Rng, hash32, unit } from "./prng.js";

/** Packing limits of generated ids (id.codec.ts keeps 48 bits). */
export const MAX_ORDERS_PER_CUSTOMER = 64;
export const MAX_LINES = 8;
export const MAX_WAVES = 4;

export type TReleaseState = "Open" | "Scheduled" | "Shipped" | "Canceled";

export type TOrderFacts = {
  i: number;
  k: number;
  orderMs: number;
  modifiedMs: number;
  canceled: boolean;
  status: "Open" | "Closed" | "Canceled";
  lineCount: number;
  waveCount: number;
  partIndex: number[];
  price: number[];
  quantity: number[];
  /** Per (line, wave) at index line * waveCount + wave. */
  releaseState: TReleaseState[];
  shipped: number[];
  releaseModifiedMs: number[];
  dueMs: number[];
  plannedShipMs: number[];
  /** Moment the wave left the dock, when something shipped in it. */
  shippedMs: (number | null)[];
  invoiceMs: (number | null)[];
  paidMs: (number | null)[];
};

export class OrderGenerator extends PlantGenerator {
  // Scratch generators, reseeded per use: orderFacts runs millions of times while indexing.
  protected readonly orderRng = new Rng();
  protected readonly releaseRng = new Rng();
  protected readonly invoiceRng = new Rng();

  /** Orders of customer i; prospects have none, a few key accounts have many. */
  orderCount(i: number): number {
    if (this.customerIsProspect(i)) return 0;
    const u = unit(hash32(this.seed, Stream.OrderCount, i));
    if (u < 0.02) return 20 + (hash32(this.seed, Stream.OrderCount, i, 1) % 30);
    const count = Math.floor(-Math.log(1 - unit(hash32(this.seed, Stream.OrderCount, i, 2))) * 2.6);

    return Math.min(count, 12);
  }

  orderFacts(i: number, k: number): TOrderFacts {
    const rng = this.orderRng.reseed(hash32(this.seed, Stream.Order, i, k));
    const start = Math.max(this.customerCreatedMs(i), this.anchorMs - this.historyMs);
    const orderMs = Math.floor(start + (this.anchorMs - start) * rng.next());
    const canceled = rng.chance(0.03);
    const lineCount = rng.int(1, 4);
    const waveCount = rng.chance(0.35) ? 2 : 1;
    const leadMs = rng.int(7, 45) * DAY_MS;

    const partIndex: number[] = [];
    const price: number[] = [];
    const quantity: number[] = [];
    for (let l = 0; l < lineCount; l += 1) {
      const j = hash32(this.seed, Stream.Line, i, k * MAX_LINES + l) % Math.max(1, this.partCount);
      partIndex.push(j);
      price.push(Math.round(this.partBasePrice(j) * (0.85 + rng.next() * 0.3) * 100) / 100);
      quantity.push(rng.int(1, 40) * rng.pick([1, 5, 10, 25, 50]));
    }

    const dueMs: number[] = [];
    const plannedShipMs: number[] = [];
    const shippedMs: (number | null)[] = [];
    for (let w = 0; w < waveCount; w += 1) {
      const due = orderMs + (w + 1) * leadMs;
      dueMs.push(due);
      plannedShipMs.push(due - 2 * DAY_MS);
      shippedMs.push(null);
    }

    const releaseState: TReleaseState[] = [];
    const shipped: number[] = [];
    const releaseModifiedMs: number[] = [];
    for (let l = 0; l < lineCount; l += 1) {
      for (let w = 0; w < waveCount; w += 1) {
        const r = this.releaseRng.reseed(
          hash32(this.seed, Stream.Release, i, k, l * MAX_WAVES + w),
        );
        const shipAt = plannedShipMs[w]! + r.int(-36, 30) * 3_600_000;
        const qty = quantity[l]!;
        let state: TReleaseState = "Open";
        let done = 0;
        let modified = orderMs;
        if (canceled) {
          state = "Canceled";
          modified = Math.min(orderMs + r.int(1, 10) * DAY_MS, this.anchorMs);
        } else if (shipAt > this.anchorMs) {
          state = w === 0 ? "Scheduled" : "Open";
        } else {
          const roll = r.next();
          if (roll < 0.88) {
            state = "Shipped";
            done = qty;
          } else if (roll < 0.94) {
            done = Math.max(1, Math.floor(qty * (0.3 + r.next() * 0.5)));
          } else if (roll < 0.97) {
            state = "Canceled";
            modified = Math.min(shipAt, this.anchorMs);
          }
        }
        if (done > 0) {
          const waveShip = shippedMs[w] ?? shipAt;
          shippedMs[w] = waveShip;
          modified = waveShip;
        }
        releaseState.push(state);
        shipped.push(done);
        releaseModifiedMs.push(modified);
      }
    }

    const invoiceMs: (number | null)[] = [];
    const paidMs: (number | null)[] = [];
    const termsDays = this.termsDays(i);
    for (let w = 0; w < waveCount; w += 1) {
      const leftDock = shippedMs[w];
      const r = this.invoiceRng.reseed(hash32(this.seed, Stream.Invoice, i, k, w));
      const invoiced =
        leftDock === null || leftDock === undefined ? null : leftDock + r.int(2, 30) * 3_600_000;
      if (invoiced === null || invoiced > this.anchorMs) {
        invoiceMs.push(null);
        paidMs.push(null);
        continue;
      }
      invoiceMs.push(invoiced);
      const paidAt = invoiced + Math.floor(termsDays * (0.5 + r.next() * 0.9)) * DAY_MS;
      paidMs.push(paidAt <= this.anchorMs && r.chance(0.93) ? paidAt : null);
    }

    let status: TOrderFacts["status"] = "Open";
    if (canceled) status = "Canceled";
    else if (releaseState.every((state) => state === "Shipped" || state === "Canceled")) {
      status = "Closed";
    }
    const modifiedMs = Math.max(orderMs, ...releaseModifiedMs);

    return {
      i,
      k,
      orderMs,
      modifiedMs,
      canceled,
      status,
      lineCount,
      waveCount,
      partIndex,
      price,
      quantity,
      releaseState,
      shipped,
      releaseModifiedMs,
      dueMs,
      plannedShipMs,
      shippedMs,
      invoiceMs,
      paidMs,
    };
  }

  termsDays(i: number): number {
    const terms = this.customerTerms(i);
    const days = /(\d+)$/.exec(terms);

    return days === null ? 30 : Number(days[1]);
  }

  orderPacked(i: number, k: number): number {
    return i * MAX_ORDERS_PER_CUSTOMER + k;
  }

  orderNumber(i: number, k: number): string {
    return `SO${String(i).padStart(7, "0")}-${String(k + 1).padStart(2, "0")}`;
  }

  order(facts: TOrderFacts) {
    const { i, k } = facts;
    const rng = new Rng().reseed(hash32(this.seed, Stream.Order, i, k, 1));
    const carrier = rng.int(0, CARRIERS.length - 1);
    const addresses = this.addressCount(i);

    return {
      id: this.ids.encode("order", this.orderPacked(i, k)),
      customerId: this.ids.encode("customer", i),
      orderNumber: this.orderNumber(i, k),
      poNumber: `PO${rng.digits(6)}`,
      status: facts.status,
      type: rng.pick(ORDER_TYPES),
      category: "Production",
      terms: this.customerTerms(i),
      incoTerms: rng.pick(INCO_TERMS),
      fob: "Origin",
      freightTerms: rng.pick(FREIGHT_TERMS),
      insideSalesId: this.userId(i + 2),
      createdById: this.userId(k),
      modifiedById: this.userId(k + 1),
      poNumberRevision: "0",
      poNumberRevisionDate: iso(facts.orderMs),
      orderDate: iso(facts.orderMs),
      expirationDate: iso(facts.orderMs + 365 * DAY_MS),
      billToAddressId: this.ids.encode("address", i * 4),
      shipToAddressId: this.ids.encode("address", i * 4 + (k % addresses)),
      contactId: this.contactCount(i) > 0 ? this.ids.encode("contact", i * 4) : null,
      carrierId: this.carrierId(carrier),
      carrier: CARRIERS[carrier]!.name,
      note: null,
      invoiceInternalNote: null,
      invoicePrintedNote: null,
      outsideSalesIds: [] as string[],
      buildingId: this.buildingId(k),
      commissionable: true,
      region: this.customerCity(i).region,
      accountingJobNo: null,
      createdDate: iso(facts.orderMs),
      modifiedDate: iso(facts.modifiedMs),
      multipleDocksPerShipper: false,
      multiplePOPerShipper: false,
    };
  }

  linePacked(i: number, k: number, l: number): number {
    return this.orderPacked(i, k) * MAX_LINES + l;
  }

  orderLine(facts: TOrderFacts, l: number) {
    const { i, k } = facts;

    return {
      id: this.ids.encode("orderLine", this.linePacked(i, k, l)),
      orderId: this.ids.encode("order", this.orderPacked(i, k)),
      partId: this.ids.encode("part", facts.partIndex[l]!),
      customerPartId: null,
      note: null,
      lineNumber: String(l + 1),
      containerType: CONTAINER_TYPES[(i + l) % CONTAINER_TYPES.length]!,
      standardPackQuantity: 25,
      accountingJobNumber: null,
      active: !facts.canceled,
      createdById: this.userId(k),
      createdDate: iso(facts.orderMs),
      modifiedById: this.userId(k),
      modifiedDate: iso(facts.orderMs),
      transportationAdjustmentDays: 0,
    };
  }

  /** A line has its primary price and, for larger quantities, a quantity-break price. */
  linePriceCount(facts: TOrderFacts, l: number): number {
    return facts.quantity[l]! >= 250 ? 2 : 1;
  }

  linePrice(facts: TOrderFacts, l: number, p: number) {
    const { i, k } = facts;
    const base = facts.price[l]!;
    const price = p === 0 ? base : Math.round(base * 0.94 * 100) / 100;

    return {
      id: this.ids.encode("linePrice", this.linePacked(i, k, l) * 4 + p),
      orderLineId: this.ids.encode("orderLine", this.linePacked(i, k, l)),
      effectiveDate: iso(facts.orderMs),
      breakpointQuantity: p === 0 ? 0 : 250,
      lotQuantity: 1,
      shipToAddressId: null,
      containerType: null,
      partStatus: "Production",
      price,
      note: null,
      active: true,
      expirationDate: null,
      unit: "Ea",
      currencyCode: "USD",
      partCost: Math.round(base * 0.62 * 100) / 100,
      primaryPrice: p === 0,
      shipmentPrice: price,
      createdById: this.userId(k),
      createdDate: iso(facts.orderMs),
      modifiedById: this.userId(k),
      modifiedDate: iso(facts.orderMs),
    };
  }

  releasePacked(i: number, k: number, l: number, w: number): number {
    return this.linePacked(i, k, l) * MAX_WAVES + w;
  }

  release(facts: TOrderFacts, l: number, w: number) {
    const { i, k } = facts;
    const at = l * facts.waveCount + w;
    const modifiedMs = facts.releaseModifiedMs[at]!;

    return {
      id: this.ids.encode("release", this.releasePacked(i, k, l, w)),
      releaseNumber: `${this.orderNumber(i, k)}-${l + 1}-${w + 1}`,
      orderLineId: this.ids.encode("orderLine", this.linePacked(i, k, l)),
      type: facts.waveCount > 1 ? "Firm" : "Ship Schedule",
      shipToAddressId: this.ids.encode("address", i * 4 + (k % this.addressCount(i))),
      shipDate: iso(facts.plannedShipMs[w]!),
      dueDate: iso(facts.dueMs[w]!),
      quantity: facts.quantity[l]!,
      status: facts.releaseState[at]!,
      source: "Customer PO",
      note: null,
      scheduleNo: null,
      scheduleDate: null,
      quantityShipped: facts.shipped[at]!,
      orderQuantity: facts.quantity[l]! * facts.waveCount,
      createdById: this.userId(k),
      createdDate: iso(facts.orderMs),
      modifiedById: this.userId(k + 2),
      modifiedDate: iso(modifiedMs),
      forecastDate: null,
      shipFrom: "PLT1",
      fabAuthorizationNo: null,
      rawAuthorizationNo: null,
      partNumber: this.partNumber(facts.partIndex[l]!),
      productionStartDate: null,
      modelName: null,
      poLineDefaultOrderUnit: "Ea",
      packagingNote: null,
    };
  }
}

export type TOrder = ReturnType<OrderGenerator["order"]>;
export type TRelease = ReturnType<OrderGenerator["release"]>;
