/**
 * The only state the generated plant keeps: where each customer's orders start in the global
 * order numbering, and one time index per windowed collection (customers, orders, releases,
 * shippers, AR invoices) by modified date. Built in one pass over the plant; every record is
 * recomputed from (seed, indices) when it is needed.
 */
import type { PlexPlant } from "../generator/shipment.generator.js";
import { TimeIndex, TimeIndexBuilder } from "./time.index.js";

/** Release references pack (order, line, wave) as g * 8 + line * 2 + wave. */
const RELEASE_SLOTS = 8;
const WAVE_SLOTS = 2;

export type TOrderRef = { i: number; k: number };

export class PlantIndex {
  readonly orderStart: Uint32Array;
  readonly customers: TimeIndex;
  readonly orders: TimeIndex;
  readonly releases: TimeIndex;
  readonly shippers: TimeIndex;
  readonly invoices: TimeIndex;
  readonly buildMs: number;

  constructor(plant: PlexPlant) {
    const startedAt = performance.now();
    const n = plant.customerCount;
    this.orderStart = new Uint32Array(n + 1);
    const customers = new TimeIndexBuilder(n);
    for (let i = 0; i < n; i += 1) {
      this.orderStart[i + 1] = this.orderStart[i]! + plant.orderCount(i);
      customers.add(plant.customerModifiedMs(i), i);
    }
    this.customers = customers.build();

    const orderTotal = this.orderStart[n]!;
    if (orderTotal * RELEASE_SLOTS >= 2 ** 32) {
      throw new RangeError(`too many orders for the index (${orderTotal})`);
    }
    const orders = new TimeIndexBuilder(orderTotal);
    const releases = new TimeIndexBuilder(orderTotal * 3);
    const shippers = new TimeIndexBuilder(orderTotal * 1.2);
    const invoices = new TimeIndexBuilder(orderTotal * 1.2);
    for (let i = 0; i < n; i += 1) {
      const first = this.orderStart[i]!;
      const count = this.orderStart[i + 1]! - first;
      for (let k = 0; k < count; k += 1) {
        const g = first + k;
        const facts = plant.orderFacts(i, k);
        orders.add(facts.modifiedMs, g);
        for (let l = 0; l < facts.lineCount; l += 1) {
          for (let w = 0; w < facts.waveCount; w += 1) {
            releases.add(
              facts.releaseModifiedMs[l * facts.waveCount + w]!,
              this.releaseRef(g, l, w),
            );
          }
        }
        for (let w = 0; w < facts.waveCount; w += 1) {
          if (!plant.hasShipper(facts, w)) continue;
          shippers.add(facts.shippedMs[w]!, g * WAVE_SLOTS + w);
          if (plant.hasInvoice(facts, w)) {
            invoices.add(facts.paidMs[w] ?? facts.invoiceMs[w]!, g * WAVE_SLOTS + w);
          }
        }
      }
    }
    this.orders = orders.build();
    this.releases = releases.build();
    this.shippers = shippers.build();
    this.invoices = invoices.build();
    this.buildMs = performance.now() - startedAt;
  }

  get orderCount(): number {
    return this.orderStart[this.orderStart.length - 1]!;
  }

  get bytes(): number {
    return (
      this.orderStart.byteLength +
      this.customers.bytes +
      this.orders.bytes +
      this.releases.bytes +
      this.shippers.bytes +
      this.invoices.bytes
    );
  }

  /** Customer and per-customer order number of global order g (binary search). */
  orderRef(g: number): TOrderRef {
    let lo = 0;
    let hi = this.orderStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.orderStart[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }

    return { i: lo, k: g - this.orderStart[lo]! };
  }

  releaseRef(g: number, line: number, wave: number): number {
    return g * RELEASE_SLOTS + line * WAVE_SLOTS + wave;
  }

  decodeReleaseRef(ref: number): { g: number; line: number; wave: number } {
    const g = Math.floor(ref / RELEASE_SLOTS);
    const slot = ref % RELEASE_SLOTS;

    return { g, line: Math.floor(slot / WAVE_SLOTS), wave: slot % WAVE_SLOTS };
  }

  decodeWaveRef(ref: number): { g: number; wave: number } {
    return { g: Math.floor(ref / WAVE_SLOTS), wave: ref % WAVE_SLOTS };
  }
}
