/**
 * Enumerations of the generated plant, per collection: everything, one owner's records, one
 * modified-date window (through the time indexes), and the record behind a generated id. These
 * produce records as generated; plant.store.ts lays the in-memory changes over them.
 */
import type { TEntityKind } from "../generator/id.codec.js";
import {
  MAX_LINES,
  MAX_ORDERS_PER_CUSTOMER,
  MAX_WAVES,
  type PlexPlant,
  type TOrderFacts,
} from "../generator/shipment.generator.js";
import type { PlantIndex } from "./plant.index.js";
import type { TimeIndex } from "./time.index.js";

export type TRecord = Record<string, unknown>;

export class GeneratedSource {
  constructor(
    readonly plant: PlexPlant,
    readonly index: PlantIndex,
  ) {}

  private hasOrder(i: number, k: number): boolean {
    return (
      i >= 0 &&
      i < this.plant.customerCount &&
      k < this.index.orderStart[i + 1]! - this.index.orderStart[i]!
    );
  }

  private facts(orderPacked: number): TOrderFacts | undefined {
    const i = Math.floor(orderPacked / MAX_ORDERS_PER_CUSTOMER);
    const k = orderPacked % MAX_ORDERS_PER_CUSTOMER;

    return this.hasOrder(i, k) ? this.plant.orderFacts(i, k) : undefined;
  }

  /** The generated record behind (kind, packed coordinates), if it exists. */
  byPacked(kind: TEntityKind, packed: number): TRecord | undefined {
    const plant = this.plant;
    const n = plant.customerCount;
    switch (kind) {
      case "tenant":
        return packed === 0 ? plant.tenant() : undefined;
      case "customer":
        return packed < n ? plant.customer(packed) : undefined;
      case "address": {
        const i = Math.floor(packed / 4);
        const a = packed % 4;
        return i < n && a < plant.addressCount(i) ? plant.address(i, a) : undefined;
      }
      case "contact": {
        const i = Math.floor(packed / 4);
        const c = packed % 4;
        return i < n && c < plant.contactCount(i) ? plant.contact(i, c) : undefined;
      }
      case "part":
        return packed < plant.partCount ? plant.part(packed) : undefined;
      case "order": {
        const facts = this.facts(packed);
        return facts === undefined ? undefined : plant.order(facts);
      }
      case "orderLine": {
        const facts = this.facts(Math.floor(packed / MAX_LINES));
        const l = packed % MAX_LINES;
        return facts !== undefined && l < facts.lineCount ? plant.orderLine(facts, l) : undefined;
      }
      case "linePrice": {
        const line = Math.floor(packed / 4);
        const facts = this.facts(Math.floor(line / MAX_LINES));
        const l = line % MAX_LINES;
        const p = packed % 4;
        if (facts === undefined || l >= facts.lineCount) return undefined;
        return p < plant.linePriceCount(facts, l) ? plant.linePrice(facts, l, p) : undefined;
      }
      case "release": {
        const line = Math.floor(packed / MAX_WAVES);
        const facts = this.facts(Math.floor(line / MAX_LINES));
        const l = line % MAX_LINES;
        const w = packed % MAX_WAVES;
        if (facts === undefined || l >= facts.lineCount || w >= facts.waveCount) return undefined;
        return plant.release(facts, l, w);
      }
      case "shipper": {
        const facts = this.facts(Math.floor(packed / MAX_WAVES));
        const w = packed % MAX_WAVES;
        return facts !== undefined && plant.hasShipper(facts, w)
          ? plant.shipper(facts, w)
          : undefined;
      }
      case "shipperLine": {
        const shipper = Math.floor(packed / MAX_LINES);
        const facts = this.facts(Math.floor(shipper / MAX_WAVES));
        const w = shipper % MAX_WAVES;
        const l = packed % MAX_LINES;
        if (facts === undefined || !plant.hasShipper(facts, w)) return undefined;
        return plant.shipperLineIndexes(facts, w).includes(l)
          ? plant.shipperLine(facts, w, l)
          : undefined;
      }
      case "invoice": {
        const facts = this.facts(Math.floor(packed / MAX_WAVES));
        const w = packed % MAX_WAVES;
        return facts !== undefined && plant.hasInvoice(facts, w)
          ? plant.invoice(facts, w)
          : undefined;
      }
      default:
        return undefined;
    }
  }

  byId(kind: TEntityKind, id: string): TRecord | undefined {
    const decoded = this.plant.ids.decode(id);
    if (decoded === undefined || decoded.kind !== kind) return undefined;

    return this.byPacked(kind, decoded.packed);
  }

  // ---- enumerations ---------------------------------------------------------------------

  *customers(): Generator<TRecord> {
    for (let i = 0; i < this.plant.customerCount; i += 1) yield this.plant.customer(i);
  }

  *addressesOf(i: number): Generator<TRecord> {
    for (let a = 0; a < this.plant.addressCount(i); a += 1) yield this.plant.address(i, a);
  }

  *contactsOf(i: number): Generator<TRecord> {
    for (let c = 0; c < this.plant.contactCount(i); c += 1) yield this.plant.contact(i, c);
  }

  *contacts(): Generator<TRecord> {
    for (let i = 0; i < this.plant.customerCount; i += 1) yield* this.contactsOf(i);
  }

  *parts(): Generator<TRecord> {
    for (let j = 0; j < this.plant.partCount; j += 1) yield this.plant.part(j);
  }

  /** Order facts of customer i, or of every customer. */
  *factsOf(i?: number): Generator<TOrderFacts> {
    const from = i ?? 0;
    const to =
      i === undefined ? this.plant.customerCount : Math.min(i + 1, this.plant.customerCount);
    for (let c = from; c < to; c += 1) {
      const count = this.index.orderStart[c + 1]! - this.index.orderStart[c]!;
      for (let k = 0; k < count; k += 1) yield this.plant.orderFacts(c, k);
    }
  }

  *ordersOf(i?: number): Generator<TRecord> {
    for (const facts of this.factsOf(i)) yield this.plant.order(facts);
  }

  *releasesOf(facts: TOrderFacts): Generator<TRecord> {
    for (let l = 0; l < facts.lineCount; l += 1) {
      for (let w = 0; w < facts.waveCount; w += 1) yield this.plant.release(facts, l, w);
    }
  }

  *releases(i?: number): Generator<TRecord> {
    for (const facts of this.factsOf(i)) yield* this.releasesOf(facts);
  }

  *shippers(i?: number): Generator<TRecord> {
    for (const facts of this.factsOf(i)) {
      for (let w = 0; w < facts.waveCount; w += 1) {
        if (this.plant.hasShipper(facts, w)) yield this.plant.shipper(facts, w);
      }
    }
  }

  *invoices(i?: number): Generator<TRecord> {
    for (const facts of this.factsOf(i)) {
      for (let w = 0; w < facts.waveCount; w += 1) {
        if (this.plant.hasInvoice(facts, w)) yield this.plant.invoice(facts, w);
      }
    }
  }

  /** Generated lines of a generated order. */
  linesOfOrder(orderId: string): TRecord[] {
    const facts = this.factsOfOrderId(orderId);
    if (facts === undefined) return [];
    const lines: TRecord[] = [];
    for (let l = 0; l < facts.lineCount; l += 1) lines.push(this.plant.orderLine(facts, l));

    return lines;
  }

  /** Generated prices of a generated order line. */
  pricesOfLine(lineId: string): TRecord[] {
    const decoded = this.plant.ids.decode(lineId);
    if (decoded?.kind !== "orderLine") return [];
    const facts = this.facts(Math.floor(decoded.packed / MAX_LINES));
    const l = decoded.packed % MAX_LINES;
    if (facts === undefined || l >= facts.lineCount) return [];
    const prices: TRecord[] = [];
    for (let p = 0; p < this.plant.linePriceCount(facts, l); p += 1) {
      prices.push(this.plant.linePrice(facts, l, p));
    }

    return prices;
  }

  /** Generated releases of generated order lines. */
  releasesOfLines(lineIds: string[]): TRecord[] {
    const releases: TRecord[] = [];
    for (const lineId of lineIds) {
      const decoded = this.plant.ids.decode(lineId);
      if (decoded?.kind !== "orderLine") continue;
      const facts = this.facts(Math.floor(decoded.packed / MAX_LINES));
      const l = decoded.packed % MAX_LINES;
      if (facts === undefined || l >= facts.lineCount) continue;
      for (let w = 0; w < facts.waveCount; w += 1) releases.push(this.plant.release(facts, l, w));
    }

    return releases;
  }

  /** Generated lines of a generated shipper. */
  shipperLinesOf(shipperId: string): TRecord[] {
    const decoded = this.plant.ids.decode(shipperId);
    if (decoded?.kind !== "shipper") return [];
    const facts = this.facts(Math.floor(decoded.packed / MAX_WAVES));
    const w = decoded.packed % MAX_WAVES;
    if (facts === undefined || !this.plant.hasShipper(facts, w)) return [];

    return this.plant.shipperLineIndexes(facts, w).map((l) => this.plant.shipperLine(facts, w, l));
  }

  /** Customer id owning a generated address (addresses carry no customerId field). */
  addressOwner(addressId: string): string | undefined {
    const decoded = this.plant.ids.decode(addressId);
    if (decoded?.kind !== "address") return undefined;

    return this.plant.ids.encode("customer", Math.floor(decoded.packed / 4));
  }

  factsOfOrderId(orderId: string): TOrderFacts | undefined {
    const decoded = this.plant.ids.decode(orderId);

    return decoded?.kind === "order" ? this.facts(decoded.packed) : undefined;
  }

  /** Records whose modified date may fall in [beginMs, endMs], through the time index. */
  *modifiedWindow(kind: TEntityKind, beginMs: number, endMs: number): Generator<TRecord> {
    const plant = this.plant;
    const index = this.index;
    const timeIndex = this.timeIndexOf(kind);
    if (timeIndex === undefined) return;
    for (const ref of timeIndex.range(beginMs, endMs)) {
      if (kind === "customer") {
        yield plant.customer(ref);
        continue;
      }
      if (kind === "order") {
        const { i, k } = index.orderRef(ref);
        yield plant.order(plant.orderFacts(i, k));
        continue;
      }
      if (kind === "release") {
        const { g, line, wave } = index.decodeReleaseRef(ref);
        const { i, k } = index.orderRef(g);
        yield plant.release(plant.orderFacts(i, k), line, wave);
        continue;
      }
      const { g, wave } = index.decodeWaveRef(ref);
      const { i, k } = index.orderRef(g);
      const facts = plant.orderFacts(i, k);
      yield kind === "shipper" ? plant.shipper(facts, wave) : plant.invoice(facts, wave);
    }
  }

  timeIndexOf(kind: TEntityKind): TimeIndex | undefined {
    if (kind === "customer") return this.index.customers;
    if (kind === "order") return this.index.orders;
    if (kind === "release") return this.index.releases;
    if (kind === "shipper") return this.index.shippers;
    if (kind === "invoice") return this.index.invoices;

    return undefined;
  }
}
