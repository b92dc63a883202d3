/**
 * Changes to the plant made through the control API (or the in-process handle): edit any record
 * (its modifiedDate moves to "now"), touch random records, add customers and orders, ship and
 * cancel releases (a shipment creates a shipper, its line and an open AR invoice, and moves the
 * release and order statuses), and mark invoices paid. New and changed records go to the store's
 * overlay and show up in every read, window queries included.
 */
import type { TEntityKind } from "../generator/id.codec.js";
import { hash32 } from "../generator/prng.js";
import { DAY_MS, iso } from "../generator/plant.generator.js";
import type { PlantStore, TRecord } from "./plant.store.js";

export class MutationError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The user the sandbox's own changes are attributed to. */
function sandboxUser(store: PlantStore): string {
  return store.plant.userId(11);
}

const EDITABLE_KINDS: TEntityKind[] = [
  "customer",
  "address",
  "contact",
  "part",
  "order",
  "orderLine",
  "linePrice",
  "release",
  "shipper",
  "shipperLine",
  "invoice",
];

export class PlantMutations {
  private touchCounter = 0;
  private createdCustomers = 0;
  private createdOrders = 0;
  private createdShippers = 0;

  constructor(private readonly store: () => PlantStore) {}

  private must(kind: TEntityKind, id: string): TRecord {
    const record = this.store().get(kind, id);
    if (record === undefined) throw new MutationError(404, `${kind} ${id} does not exist`);

    return record;
  }

  private stamp(record: TRecord, changes: TRecord): TRecord {
    const store = this.store();
    const stamped: TRecord = { ...record, ...changes };
    if ("modifiedDate" in record) {
      stamped.modifiedDate = store.clock.nowIso();
      stamped.modifiedById = sandboxUser(store);
    }

    return stamped;
  }

  /** Applies field changes to a record; unknown field names are refused. */
  update(kind: TEntityKind, id: string, changes: TRecord): TRecord {
    if (!EDITABLE_KINDS.includes(kind))
      throw new MutationError(400, `${kind} records cannot be edited`);
    const record = this.must(kind, id);
    const unknown = Object.keys(changes).filter((field) => !(field in record) || field === "id");
    if (unknown.length > 0)
      throw new MutationError(400, `unknown or read-only fields: ${unknown.join(", ")}`);

    return this.store().put(kind, this.stamp(record, changes));
  }

  /** Moves the modified date of `count` pseudo-random generated records of a kind to now. */
  touch(kind: "customer" | "order" | "release" | "shipper" | "invoice", count: number): string[] {
    const store = this.store();
    const touched: string[] = [];
    const total = kind === "customer" ? store.plant.customerCount : store.index.orderCount;
    if (total === 0) return touched;
    for (let attempt = 0; touched.length < count && attempt < count * 20; attempt += 1) {
      this.touchCounter += 1;
      const pick = hash32(store.plant.seed, 9001, this.touchCounter) % total;
      const record = this.pickGenerated(kind, pick);
      if (record === undefined || touched.includes(String(record.id))) continue;
      store.put(kind, this.stamp(store.get(kind, String(record.id)) ?? record, {}));
      touched.push(String(record.id));
    }

    return touched;
  }

  private pickGenerated(kind: string, pick: number): TRecord | undefined {
    const store = this.store();
    if (kind === "customer") return store.plant.customer(pick);
    const { i, k } = store.index.orderRef(pick);
    const facts = store.plant.orderFacts(i, k);
    if (kind === "order") return store.plant.order(facts);
    if (kind === "release") return store.plant.release(facts, 0, 0);
    const wave = facts.shippedMs.findIndex((ms) => ms !== null);
    if (wave < 0) return undefined;
    if (kind === "shipper") return store.plant.shipper(facts, wave);

    return store.plant.hasInvoice(facts, wave) ? store.plant.invoice(facts, wave) : undefined;
  }

  createCustomer(fields: TRecord): TRecord {
    const store = this.store();
    this.createdCustomers += 1;
    const template = store.plant.customer(0);
    const now = store.clock.nowIso();
    const customer: TRecord = {
      ...template,
      id: store.newId(),
      code: `NEW${String(this.createdCustomers).padStart(6, "0")}`,
      name: `New Customer ${this.createdCustomers}`,
      status: "Active",
      email: null,
      phone: null,
      createdById: sandboxUser(store),
      createdDate: now,
      modifiedById: sandboxUser(store),
      modifiedDate: now,
    };
    const unknown = Object.keys(fields).filter((field) => !(field in template) || field === "id");
    if (unknown.length > 0) throw new MutationError(400, `unknown fields: ${unknown.join(", ")}`);

    return store.put("customer", { ...customer, ...fields });
  }

  createOrder(input: {
    customerId: string;
    poNumber?: string;
    lines: { partId: string; quantity: number; price?: number }[];
  }) {
    const store = this.store();
    const customer = this.must("customer", input.customerId);
    const now = store.clock.now();
    this.createdOrders += 1;
    const facts = store.plant.orderFacts(0, 0);
    const orderId = store.newId();
    const order = store.put("order", {
      ...store.plant.order(facts),
      id: orderId,
      customerId: customer.id,
      orderNumber: `SO-NEW-${String(this.createdOrders).padStart(6, "0")}`,
      poNumber: input.poNumber ?? `PO-NEW-${this.createdOrders}`,
      status: "Open",
      orderDate: iso(now),
      poNumberRevisionDate: iso(now),
      expirationDate: iso(now + 365 * DAY_MS),
      terms: null,
      billToAddressId: null,
      shipToAddressId: null,
      contactId: null,
      createdById: sandboxUser(store),
      createdDate: iso(now),
      modifiedById: sandboxUser(store),
      modifiedDate: iso(now),
    });
    const lines: TRecord[] = [];
    const prices: TRecord[] = [];
    const releases: TRecord[] = [];
    let total = 0;
    input.lines.forEach((line, l) => {
      const part = this.must("part", line.partId);
      const price = line.price ?? Math.round(store.plant.partBasePrice(0) * 100) / 100;
      total += price * line.quantity;
      const lineRecord = store.put("orderLine", {
        ...store.plant.orderLine(facts, 0),
        id: store.newId(),
        orderId,
        partId: part.id,
        lineNumber: String(l + 1),
        active: true,
        createdDate: iso(now),
        modifiedDate: iso(now),
      });
      lines.push(lineRecord);
      prices.push(
        store.put("linePrice", {
          ...store.plant.linePrice(facts, 0, 0),
          id: store.newId(),
          orderLineId: lineRecord.id,
          price,
          shipmentPrice: price,
          effectiveDate: iso(now),
          createdDate: iso(now),
          modifiedDate: iso(now),
        }),
      );
      releases.push(
        store.put("release", {
          ...store.plant.release(facts, 0, 0),
          id: store.newId(),
          releaseNumber: `${String(order.orderNumber)}-${l + 1}-1`,
          orderLineId: lineRecord.id,
          type: "Ship Schedule",
          shipToAddressId: null,
          shipDate: iso(now + 12 * DAY_MS),
          dueDate: iso(now + 14 * DAY_MS),
          quantity: line.quantity,
          orderQuantity: line.quantity,
          quantityShipped: 0,
          status: "Open",
          partNumber: part.number,
          createdDate: iso(now),
          modifiedDate: iso(now),
        }),
      );
    });
    store.createdOrderTotals.set(orderId, {
      lineCount: lines.length,
      total: Math.round(total * 100) / 100,
    });

    return { order, lines, prices, releases };
  }

  /** Lines, then releases, of an order: generated ones plus changed and created ones. */
  private releasesOfOrder(orderId: string): TRecord[] {
    const store = this.store();
    const lines = [
      ...store.list(
        "orderLine",
        store.generated.linesOfOrder(orderId),
        (r) => r.orderId === orderId,
      ),
    ];
    const lineIds = new Set(lines.map((line) => String(line.id)));

    return [
      ...store.list("release", store.generated.releasesOfLines([...lineIds]), (r) =>
        lineIds.has(String(r.orderLineId)),
      ),
    ];
  }

  private linePrice(lineId: string): number {
    const store = this.store();
    const prices = [
      ...store.list(
        "linePrice",
        store.generated.pricesOfLine(lineId),
        (r) => r.orderLineId === lineId,
      ),
    ];
    const primary = prices.find((price) => price.primaryPrice === true) ?? prices[0];

    return typeof primary?.price === "number" ? primary.price : 0;
  }

  shipRelease(
    releaseId: string,
    input: { quantity?: number; trackingNumber?: string; carrierIndex?: number },
  ) {
    const store = this.store();
    const release = this.must("release", releaseId);
    if (release.status === "Canceled") throw new MutationError(409, "the release is canceled");
    const remaining = Number(release.quantity) - Number(release.quantityShipped);
    const quantity = input.quantity ?? remaining;
    if (remaining <= 0) throw new MutationError(409, "the release is already shipped in full");
    if (quantity <= 0 || quantity > remaining) {
      throw new MutationError(400, `quantity must be between 1 and ${remaining}`);
    }
    const line = this.must("orderLine", String(release.orderLineId));
    const order = this.must("order", String(line.orderId));
    const now = store.clock.now();
    const facts = store.plant.orderFacts(0, 0);
    const shipped = Number(release.quantityShipped) + quantity;
    const updatedRelease = store.put(
      "release",
      this.stamp(release, {
        quantityShipped: shipped,
        status: shipped >= Number(release.quantity) ? "Shipped" : "Open",
      }),
    );

    this.createdShippers += 1;
    const number = String(this.createdShippers).padStart(8, "0");
    const carrier = input.carrierIndex ?? this.createdShippers;
    const shipperId = store.newId();
    const shipperTemplate = store.plant.shipper({ ...facts, shippedMs: [now, now] }, 0);
    const shipper = store.put("shipper", {
      ...shipperTemplate,
      id: shipperId,
      shipperNumber: `SH-NEW-${number}`,
      customerId: order.customerId,
      customerAddressId: order.shipToAddressId,
      carrierId: store.plant.carrierId(carrier),
      trackingNumber: input.trackingNumber ?? `1Z${number}${String(now % 1e6).padStart(6, "0")}`,
      shipDate: iso(now),
      scheduledShipDate: release.shipDate,
      createdById: sandboxUser(store),
      createdDate: iso(now),
      modifiedById: sandboxUser(store),
      modifiedDate: iso(now),
      printedDate: iso(now),
      pickListPrintedDateTime: iso(now),
      deliveryDateTime: iso(now + 2 * DAY_MS),
    });
    const price = this.linePrice(String(line.id));
    const shipperLine = store.put("shipperLine", {
      ...store.plant.shipperLine({ ...facts, shipped: facts.shipped.map(() => quantity) }, 0, 0),
      id: store.newId(),
      shipperId,
      partId: line.partId,
      quantity,
      releaseId: release.id,
      price,
      priceId: null,
    });
    const amount = Math.round(quantity * price * 100) / 100;
    const invoice = store.put("invoice", this.newInvoice(order, shipper, shipperLine, amount, now));

    const releases = this.releasesOfOrder(String(order.id));
    const done = releases.every((r) => r.status === "Shipped" || r.status === "Canceled");
    const updatedOrder = store.put(
      "order",
      this.stamp(order, { status: done ? "Closed" : "Open" }),
    );

    return {
      release: updatedRelease,
      order: updatedOrder,
      shipper,
      shipperLines: [shipperLine],
      invoice,
    };
  }

  private newInvoice(
    order: TRecord,
    shipper: TRecord,
    shipperLine: TRecord,
    amount: number,
    now: number,
  ): TRecord {
    const store = this.store();
    const customer = this.must("customer", String(order.customerId));
    const dueMs = now + 30 * DAY_MS;

    return {
      id: store.newId(),
      invoiceNumber: `INV-NEW-${String(shipper.shipperNumber).slice(7)}`,
      creditMemo: 0,
      customerId: customer.id,
      customerCode: customer.code,
      customerBillToId: order.billToAddressId ?? null,
      customerBillToCode: "MAIN",
      customerShipToId: order.shipToAddressId ?? null,
      customerShipToCode: "MAIN",
      customerOrderNos: order.orderNumber,
      customerPONo: order.poNumber,
      buildingCode: "PLT1",
      periodDisplay: iso(now).slice(0, 7),
      transactionDate: iso(now),
      currencyCode: "USD",
      exchangeRate: 1,
      terms: "Net 30",
      dueDate: iso(dueMs),
      invoiceNote: null,
      internalNote: null,
      voucherNumber: null,
      status: "Open",
      governmentIssuedNumber: null,
      type: "Invoice",
      createdById: sandboxUser(store),
      createdDate: iso(now),
      modifiedById: sandboxUser(store),
      modifiedDate: iso(now),
      taxableDate: iso(now),
      amount,
      currencyAmount: amount,
      paid: false,
      paidDate: null,
      expectedPayDate: iso(dueMs),
      paidPeriod: null,
      discount: 0,
      discountDueDate: null,
      balance: amount,
      currencyBalance: amount,
      void: false,
      consolidatedLinkId: null,
      booked: true,
      referenceNo: null,
      shipperNo: shipper.shipperNumber,
      poNumber: order.poNumber,
      poId: null,
      lines: [
        {
          lineId: shipperLine.id,
          accountNumber: "4000-000",
          accountId: null,
          baseSegment: "4000",
          costCenterSegment: "000",
          subAccountSegment: null,
          description: null,
          credit: amount,
          debit: 0,
          currencyCredit: amount,
          currencyDebit: 0,
          unitPrice: shipperLine.price,
          quantity: shipperLine.quantity,
          accountingJobNumber: null,
          referenceNo: null,
          itemTaxCode: null,
          voucherDescription: null,
          customerOrderNo: order.orderNumber,
          poId: null,
          poLineId: null,
          shipperNo: shipper.shipperNumber,
          shipperLineId: shipperLine.id,
          shipperId: shipper.id,
          uoM: "Ea",
          endUnitNumber: null,
          offset: 0,
          partId: shipperLine.partId,
          partNo: null,
          taxes: [],
        },
      ],
    };
  }

  cancelRelease(releaseId: string): TRecord {
    const release = this.must("release", releaseId);
    if (release.status === "Shipped")
      throw new MutationError(409, "the release is already shipped");

    return this.store().put("release", this.stamp(release, { status: "Canceled" }));
  }

  payInvoice(invoiceId: string, paidDate?: string): TRecord {
    const store = this.store();
    const invoice = this.must("invoice", invoiceId);
    if (invoice.paid === true) throw new MutationError(409, "the invoice is already paid");
    const paidAt = paidDate ?? store.clock.nowIso();

    return store.put(
      "invoice",
      this.stamp(invoice, {
        paid: true,
        paidDate: paidAt,
        paidPeriod: paidAt.slice(0, 7),
        status: "Paid",
        balance: 0,
        currencyBalance: 0,
      }),
    );
  }
}
