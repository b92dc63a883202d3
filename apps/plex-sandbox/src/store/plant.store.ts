/**
 * The sandbox's data: the generated plant (recomputed on demand, see generated.source.ts) with
 * an overlay of the records that changed or were created since, kept in a Map per collection.
 * Every read goes through here, so a changed record shows its new values and modified date
 * everywhere, and a window query finds it in its new place.
 */
import { randomUUID } from "node:crypto";

import type { TEntityKind } from "../generator/id.codec.js";
import {
  MAX_ORDERS_PER_CUSTOMER,
  PlexPlant,
  type TOrderFacts,
} from "../generator/shipment.generator.js";
import type { TPlantOptions } from "../generator/plant.generator.js";
import { GeneratedSource, type TRecord } from "./generated.source.js";
import { PlantIndex } from "./plant.index.js";
import type { SandboxClock } from "./sandbox.clock.js";

export type { TRecord };

export type TActivity = Record<string, unknown> & { activityId: string };

export type TWriteLogEntry = {
  at: string;
  method: string;
  path: string;
  principal: string;
  body: unknown;
  status: number;
};

/** A window on one date field, both ends inclusive (see README: "Window semantics"). */
export type TWindow = { field: string; beginMs?: number; endMs?: number };

export class PlantStore {
  readonly plant: PlexPlant;
  readonly index: PlantIndex;
  readonly generated: GeneratedSource;
  private readonly overlay = new Map<TEntityKind, Map<string, TRecord>>();
  readonly activities = new Map<string, TActivity>();
  readonly writes: TWriteLogEntry[] = [];
  readonly createdOrderTotals = new Map<string, { lineCount: number; total: number }>();
  private nextIntegerKey = 900_000_000;
  private readonly integerKeys = new Map<string, number>();

  constructor(
    options: TPlantOptions,
    readonly clock: SandboxClock,
  ) {
    this.plant = new PlexPlant(options);
    this.index = new PlantIndex(this.plant);
    this.generated = new GeneratedSource(this.plant, this.index);
  }

  private overlayOf(kind: TEntityKind): Map<string, TRecord> {
    let records = this.overlay.get(kind);
    if (records === undefined) {
      records = new Map();
      this.overlay.set(kind, records);
    }

    return records;
  }

  /** Current version of a record by id (the overlay wins over the generated one). */
  get(kind: TEntityKind, id: string): TRecord | undefined {
    const lower = id.toLowerCase();

    return this.overlay.get(kind)?.get(lower) ?? this.generated.byId(kind, lower);
  }

  /** Stores the current version of a record (new or changed). */
  put(kind: TEntityKind, record: TRecord): TRecord {
    const id = String(record.id).toLowerCase();
    this.overlayOf(kind).set(id, record);

    return record;
  }

  isChanged(kind: TEntityKind, id: string): boolean {
    return this.overlay.get(kind)?.has(id) ?? false;
  }

  overlayCount(): number {
    let count = 0;
    for (const records of this.overlay.values()) count += records.size;

    return count;
  }

  newId(): string {
    return randomUUID();
  }

  /**
   * The records of a collection: the generated candidates (all of them, one owner's, or a window
   * through the time index) that were not changed, then every changed or created record; each
   * kept only if `match` accepts it. Candidates must be a superset of what `match` accepts among
   * the generated records.
   */
  *list(
    kind: TEntityKind,
    candidates: Iterable<TRecord>,
    match: (record: TRecord) => boolean,
  ): Generator<TRecord> {
    const changed = this.overlay.get(kind);
    for (const record of candidates) {
      if (changed?.has(String(record.id))) continue;
      if (match(record)) yield record;
    }
    if (changed === undefined) return;
    for (const record of changed.values()) {
      if (match(record)) yield record;
    }
  }

  /** Integer key (Customer_No, PO_Key…) as the classic data sources expose it. */
  integerKey(kind: TEntityKind, id: string): number {
    const decoded = this.plant.ids.decode(id);
    if (decoded !== undefined && decoded.kind === kind) return 100_000 + decoded.packed;
    let key = this.integerKeys.get(id);
    if (key === undefined) {
      key = this.nextIntegerKey;
      this.nextIntegerKey += 1;
      this.integerKeys.set(id, key);
    }

    return key;
  }

  customerIdOfCode(code: string): string | undefined {
    const changed = this.overlay.get("customer");
    if (changed !== undefined) {
      for (const record of changed.values()) if (record.code === code) return String(record.id);
    }
    const i = this.plant.customerIndexOfCode(code);
    if (i === undefined) return undefined;
    const id = this.plant.ids.encode("customer", i);
    // A customer whose code was changed no longer answers to its generated code.
    if (changed?.has(id) === true) return undefined;

    return id;
  }

  /** Customer index of a generated customer id (for owner-scoped enumerations). */
  customerIndexOf(id: string): number | undefined {
    const decoded = this.plant.ids.decode(id);

    return decoded?.kind === "customer" && decoded.packed < this.plant.customerCount
      ? decoded.packed
      : undefined;
  }

  /** Facts of a generated order id. */
  orderFactsOf(orderId: string): TOrderFacts | undefined {
    const decoded = this.plant.ids.decode(orderId);
    if (decoded?.kind !== "order") return undefined;
    const i = Math.floor(decoded.packed / MAX_ORDERS_PER_CUSTOMER);
    const k = decoded.packed % MAX_ORDERS_PER_CUSTOMER;
    if (i >= this.plant.customerCount) return undefined;
    if (k >= this.index.orderStart[i + 1]! - this.index.orderStart[i]!) return undefined;

    return this.plant.orderFacts(i, k);
  }

  /** Line count and total of an order, for the sales-order data source. */
  orderTotals(orderId: string): { lineCount: number; total: number } {
    const created = this.createdOrderTotals.get(orderId);
    if (created !== undefined) return created;
    const facts = this.orderFactsOf(orderId);
    if (facts === undefined) return { lineCount: 0, total: 0 };
    let total = 0;
    for (let l = 0; l < facts.lineCount; l += 1) {
      total += facts.quantity[l]! * facts.waveCount * facts.price[l]!;
    }

    return { lineCount: facts.lineCount, total: Math.round(total * 100) / 100 };
  }

  logWrite(entry: Omit<TWriteLogEntry, "at">): void {
    this.writes.push({ at: this.clock.nowIso(), ...entry });
  }
}

/** Milliseconds of an ISO date field, or undefined when empty. */
export function fieldMs(record: TRecord, field: string): number | undefined {
  const value = record[field];
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);

  return Number.isNaN(ms) ? undefined : ms;
}

export function inWindow(record: TRecord, window: TWindow): boolean {
  const ms = fieldMs(record, window.field);
  if (ms === undefined) return false;
  if (window.beginMs !== undefined && ms < window.beginMs) return false;
  if (window.endMs !== undefined && ms > window.endMs) return false;

  return true;
}
