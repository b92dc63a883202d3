/**
 * Test support: small, realistic Plex records (field names as the plex-client schemas publish
 * them), each overridable field by field.
 */
import type {
  TPlexAddress,
  TPlexArInvoice,
  TPlexContact,
  TPlexCustomer,
  TPlexLinePrice,
  TPlexOrderLine,
  TPlexPart,
  TPlexRelease,
  TPlexSalesOrder,
  TPlexShipper,
  TPlexShipperLine,
} from "@ml-connector/plex-client";

import type { TSalesOrderSource } from "../sales-order.mapper.js";

export const NOW = new Date("2025-06-01T12:00:00Z");

export function plexCustomer(overrides: Partial<TPlexCustomer> = {}): TPlexCustomer {
  return {
    id: "c0000000-0000-4000-8000-000000000001",
    code: "ACME01",
    name: "Acme Stamping Inc.",
    status: "Active",
    type: "OEM",
    industries: ["Automotive", "Heavy Equipment"],
    region: "Great Lakes",
    category: "Key Account",
    phone: "(313) 555-0142",
    email: "purchasing@acme-stamping.com",
    ...overrides,
  };
}

export function plexAddress(overrides: Partial<TPlexAddress> = {}): TPlexAddress {
  return {
    id: "a0000000-0000-4000-8000-000000000001",
    code: "MAIN",
    name: "Acme Stamping Inc.",
    address: "1200 Woodward Ave",
    city: "Detroit",
    state: "MI",
    zip: "48226",
    country: "USA",
    region: "Great Lakes",
    email: null,
    phone: "313.555.0100",
    billTo: true,
    shipTo: true,
    soldTo: true,
    active: true,
    ...overrides,
  };
}

export function plexContact(overrides: Partial<TPlexContact> = {}): TPlexContact {
  return {
    id: "k0000000-0000-4000-8000-000000000001",
    customerId: "c0000000-0000-4000-8000-000000000001",
    firstName: "Jürgen",
    lastName: "Müller",
    title: "Buyer",
    email: "juergen.mueller@acme-stamping.com",
    phone: "+1 313 555 0199",
    mobilePhone: null,
    companyName: "Acme Stamping Inc.",
    type: "Purchasing",
    ...overrides,
  };
}

export function plexPart(overrides: Partial<TPlexPart> = {}): TPlexPart {
  return {
    id: "p0000000-0000-4000-8000-000000000001",
    number: "ST-10001",
    name: "Mounting bracket, steel",
    revision: "A",
    description: "Brackets – steel, customer-specific finish",
    type: "Finished Good",
    group: "Stamping",
    productType: "Brackets",
    status: "Production",
    ...overrides,
  };
}

const ORDER_ID = "o0000000-0000-4000-8000-000000000001";
const LINE_ID = "l0000000-0000-4000-8000-000000000001";

export function plexOrder(overrides: Partial<TPlexSalesOrder> = {}): TPlexSalesOrder {
  return {
    id: ORDER_ID,
    customerId: "c0000000-0000-4000-8000-000000000001",
    orderNumber: "SO0000001-01",
    poNumber: "PO123456",
    status: "Open",
    type: "Blanket",
    orderDate: "2025-03-10T08:30:00Z",
    createdDate: "2025-03-10T08:30:00Z",
    modifiedDate: "2025-03-12T10:00:00Z",
    ...overrides,
  };
}

export function plexLine(overrides: Partial<TPlexOrderLine> = {}): TPlexOrderLine {
  return {
    id: LINE_ID,
    orderId: ORDER_ID,
    partId: "p0000000-0000-4000-8000-000000000001",
    lineNumber: "1",
    active: true,
    ...overrides,
  };
}

export function plexPrice(overrides: Partial<TPlexLinePrice> = {}): TPlexLinePrice {
  return {
    id: "r0000000-0000-4000-8000-000000000001",
    orderLineId: LINE_ID,
    price: 12.5,
    currencyCode: "USD",
    unit: "Ea",
    active: true,
    primaryPrice: true,
    effectiveDate: "2025-03-10T08:30:00Z",
    expirationDate: null,
    ...overrides,
  };
}

export function plexRelease(overrides: Partial<TPlexRelease> = {}): TPlexRelease {
  return {
    id: "e0000000-0000-4000-8000-000000000001",
    releaseNumber: "SO0000001-01-1-1",
    orderLineId: LINE_ID,
    quantity: 100,
    quantityShipped: 0,
    status: "Open",
    shipDate: "2025-03-20T00:00:00Z",
    dueDate: "2025-03-22T00:00:00Z",
    ...overrides,
  };
}

export function plexShipper(overrides: Partial<TPlexShipper> = {}): TPlexShipper {
  return {
    id: "s0000000-0000-4000-8000-000000000001",
    shipperNumber: "SH0000000001",
    customerId: "c0000000-0000-4000-8000-000000000001",
    shipDate: "2025-03-20T15:00:00Z",
    status: "Shipped",
    trackingNumber: "1ZA1B2C30312345678",
    carrierId: "carrier-ups",
    ...overrides,
  };
}

export function plexShipperLine(overrides: Partial<TPlexShipperLine> = {}): TPlexShipperLine {
  return {
    id: "sl000000-0000-4000-8000-000000000001",
    shipperId: "s0000000-0000-4000-8000-000000000001",
    partId: "p0000000-0000-4000-8000-000000000001",
    quantity: 100,
    releaseId: "e0000000-0000-4000-8000-000000000001",
    price: 12.5,
    ...overrides,
  };
}

export function plexInvoice(overrides: Partial<TPlexArInvoice> = {}): TPlexArInvoice {
  return {
    id: "i0000000-0000-4000-8000-000000000001",
    invoiceNumber: "INV0000000001",
    customerId: "c0000000-0000-4000-8000-000000000001",
    customerCode: "ACME01",
    customerOrderNos: "SO0000001-01",
    shipperNo: "SH0000000001",
    currencyCode: "USD",
    amount: 1250,
    balance: 1250,
    paid: false,
    paidDate: null,
    status: "Open",
    void: false,
    creditMemo: 0,
    transactionDate: "2025-03-21T09:00:00Z",
    ...overrides,
  };
}

/** One open order of 100 brackets at 12.50, nothing shipped or invoiced yet. */
export function orderSource(overrides: Partial<TSalesOrderSource> = {}): TSalesOrderSource {
  const part = plexPart();

  return {
    order: plexOrder(),
    lines: [plexLine()],
    prices: [plexPrice()],
    releases: [plexRelease()],
    shippers: [],
    shipperLines: [],
    invoices: [],
    partsById: new Map([[part.id, part]]),
    customerMemberEmail: "purchasing@acme-stamping.com",
    ...overrides,
  };
}
