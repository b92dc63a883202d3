/**
 * The seeded plant: master data (tenant, users, carriers, customers, addresses, contacts, parts).
 * Record i is computed from (seed, i) whenever it is asked for; nothing is stored. Field names and
 * casing are those of the Plex Connect responses (specs/plex-connect.openapi.yaml). The messy data
 * is on purpose: missing, invalid, duplicate and oddly cased e-mails, phone-only customers, Unicode
 * names, inactive and deleted customers.
 */
import { iso } from "./date.format.js";
import { IdCodec } from "./id.codec.js";
import {
  BUSINESS_TYPES,
  CARRIERS,
  CITIES,
  CONTACT_TITLES,
  CONTACT_TYPES,
  CUSTOMER_CATEGORIES,
  CUSTOMER_RATINGS,
  CUSTOMER_TYPES,
  FIRST_NAMES,
  FREE_MAIL_DOMAINS,
  INDUSTRIES,
  LAST_NAMES,
  LEGAL_FORMS,
  NAME_STEMS,
  NAME_SUFFIXES,
  PART_MATERIALS,
  PART_TYPES,
  PRODUCT_CATEGORIES,
  STREETS,
  TERMS,
  UNICODE_NAMES,
  type TCity,
} from "./plant.vocabulary.js";
import { Rng, hash32, unit } from "./prng.js";

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** Streams: each kind of decision has its own hash stream so records stay independent. */
export const Stream = {
  CustomerCore: 1,
  CustomerEmail: 2,
  Address: 3,
  Contact: 4,
  Part: 5,
  OrderCount: 6,
  Order: 7,
  Line: 8,
  Release: 9,
  Invoice: 10,
  Counts: 11,
} as const;

export type TPlantOptions = {
  /** Any integer; the same seed and sizes always give the same plant. */
  seed: number;
  /** Number of customers (tens to millions). */
  customers: number;
  /** Number of parts; default scales with customers (25…5000). */
  parts?: number;
  /** "Now" of the generated history: nothing generated is later. ISO string or epoch ms. */
  anchor?: string | number;
  /** How far back customers and orders go. */
  historyYears?: number;
  tenantCode?: string;
  pcn?: string;
};

export const DEFAULT_ANCHOR = "2026-12-01T00:00:00.000Z";

function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}

/** First four letters of each name stem, the prefix of customer codes. */
const STEM_CODES = NAME_STEMS.map((stem) => slug(stem).toUpperCase().slice(0, 4));

export class PlantGenerator {
  readonly seed: number;
  readonly customerCount: number;
  readonly partCount: number;
  readonly anchorMs: number;
  readonly historyMs: number;
  readonly tenantCode: string;
  readonly pcn: string;
  readonly ids: IdCodec;
  protected readonly rng = new Rng();

  constructor(options: TPlantOptions) {
    this.seed = options.seed | 0;
    this.customerCount = Math.max(0, Math.floor(options.customers));
    this.partCount =
      options.parts ?? Math.min(5_000, Math.max(25, Math.floor(this.customerCount / 20)));
    const anchor = options.anchor ?? DEFAULT_ANCHOR;
    this.anchorMs = typeof anchor === "number" ? anchor : Date.parse(anchor);
    this.historyMs = (options.historyYears ?? 6) * YEAR_MS;
    this.tenantCode = options.tenantCode ?? "mlcdemo";
    this.pcn = options.pcn ?? "310519";
    this.ids = new IdCodec(this.seed);
  }

  // ---- small reference sets -------------------------------------------------------------

  tenant(): { id: string; code: string } {
    return { id: this.ids.encode("tenant", 0), code: this.tenantCode };
  }

  userId(index: number): string {
    return this.ids.encode("user", index % 12);
  }

  carrierId(index: number): string {
    return this.ids.encode("carrier", index % CARRIERS.length);
  }

  buildingId(index: number): string {
    return this.ids.encode("building", index % 3);
  }

  // ---- customers ------------------------------------------------------------------------

  /** Creation time of customer i; also the earliest date of anything belonging to it. */
  customerCreatedMs(i: number): number {
    const u = unit(hash32(this.seed, Stream.CustomerCore, i, 1));
    // A few customers predate the history window (legacy accounts).
    return Math.floor(this.anchorMs - this.historyMs * 1.15 * u);
  }

  customerModifiedMs(i: number): number {
    const created = this.customerCreatedMs(i);
    const u = unit(hash32(this.seed, Stream.CustomerCore, i, 2));
    // Skewed towards recent edits, the way master data is touched by day-to-day work.
    return Math.floor(created + (this.anchorMs - created) * Math.sqrt(u));
  }

  customerCity(i: number, address = 0): TCity {
    return CITIES[hash32(this.seed, Stream.Address, i, address) % CITIES.length] as TCity;
  }

  /** Customer code: a short name plus the index, unique and reversible (customerIndexOfCode). */
  customerCode(i: number): string {
    const letters = STEM_CODES[hash32(this.seed, Stream.CustomerCore, i, 3) % NAME_STEMS.length]!;

    return `${letters}${String(i).padStart(6, "0")}`;
  }

  customerIndexOfCode(code: string): number | undefined {
    const match = /^[A-Z]{1,4}(\d{6,})$/.exec(code);
    if (match === null) return undefined;
    const i = Number(match[1]);
    if (!Number.isSafeInteger(i) || i >= this.customerCount) return undefined;

    return this.customerCode(i) === code ? i : undefined;
  }

  // One-entry memos: building one customer asks for its name and domain several times.
  private nameMemo = { i: -1, value: "" };
  private domainMemo = { i: -1, value: "" };

  customerName(i: number): string {
    if (this.nameMemo.i === i) return this.nameMemo.value;
    const value = this.computeCustomerName(i);
    this.nameMemo = { i, value };

    return value;
  }

  private computeCustomerName(i: number): string {
    const rng = this.rng.reseed(hash32(this.seed, Stream.CustomerCore, i, 4));
    if (rng.chance(0.1)) return rng.pick(UNICODE_NAMES);
    const stem = NAME_STEMS[hash32(this.seed, Stream.CustomerCore, i, 3) % NAME_STEMS.length]!;

    return `${stem} ${rng.pick(NAME_SUFFIXES)} ${rng.pick(LEGAL_FORMS)}`;
  }

  customerDomain(i: number): string {
    if (this.domainMemo.i === i) return this.domainMemo.value;
    const name = this.customerName(i);
    const base = slug(name.split(" ").slice(0, 2).join("")) || `cust${i}`;
    const value = `${base}${i % 97 === 0 ? "" : String(i % 1000)}.com`;
    this.domainMemo = { i, value };

    return value;
  }

  /** "phone only": no e-mail on the customer nor on any of its contacts. */
  isPhoneOnly(i: number): boolean {
    return unit(hash32(this.seed, Stream.CustomerEmail, i, 1)) < 0.05;
  }

  private cleanCustomerEmail(i: number): string {
    const rng = this.rng.reseed(hash32(this.seed, Stream.CustomerEmail, i, 2));
    const box = rng.pick(["purchasing", "orders", "ap", "info", "sales", "buyer"]);

    return `${box}@${this.customerDomain(i)}`;
  }

  /** The customer's e-mail with the deliberate mess: null, "", invalid, duplicate, odd case. */
  customerEmail(i: number): string | null {
    if (this.isPhoneOnly(i)) return null;
    const roll = unit(hash32(this.seed, Stream.CustomerEmail, i, 3));
    if (roll < 0.08) return null;
    if (roll < 0.1) return "";
    if (roll < 0.13) return this.invalidEmail(i);
    if (roll < 0.16 && i > 0) {
      // Duplicate: the address of another (earlier) customer, e.g. a shared distributor inbox.
      const other = Math.max(0, i - 1 - (hash32(this.seed, Stream.CustomerEmail, i, 4) % 50));
      return this.cleanCustomerEmail(other);
    }
    if (roll < 0.2) {
      // Odd case and stray spaces, as typed by hand into the ERP.
      const [box = "", domain = ""] = this.cleanCustomerEmail(i).split("@");
      return ` ${box.charAt(0).toUpperCase()}${box.slice(1)}@${domain.toUpperCase()} `;
    }

    return this.cleanCustomerEmail(i);
  }

  private invalidEmail(i: number): string {
    const domain = this.customerDomain(i);
    const forms = [
      `sales@${domain.replace(/\.com$/, "")}`,
      `orders ${domain}`,
      `purchasing@@${domain}`,
      "n/a",
      `buyer@${domain.replace(".", ",")}`,
      `accounts.payable@${domain}.`,
    ];

    return forms[hash32(this.seed, Stream.CustomerEmail, i, 5) % forms.length]!;
  }

  phoneNumber(rng: Rng, city: TCity): string {
    const local = `${rng.digits(3)} ${rng.digits(4)}`;
    if (!city.phonePrefix.startsWith("+1 ")) return `${city.phonePrefix} ${rng.digits(7)}`;
    const area = city.phonePrefix.slice(3);
    const style = rng.int(0, 2);
    if (style === 0) return `(${area}) ${local.replace(" ", "-")}`;
    if (style === 1) return `${area}.${local.replace(" ", ".")}`;

    return `${city.phonePrefix} ${local}`;
  }

  customer(i: number) {
    const rng = new Rng().reseed(hash32(this.seed, Stream.CustomerCore, i, 5));
    const city = this.customerCity(i);
    const statusRoll = rng.next();
    const status = statusRoll < 0.08 ? "Inactive" : statusRoll < 0.1 ? "Deleted" : "Active";
    const category = rng.pick(CUSTOMER_CATEGORIES);
    const industries = [rng.pick(INDUSTRIES)];
    if (rng.chance(0.25)) {
      const second = rng.pick(INDUSTRIES);
      if (second !== industries[0]) industries.push(second);
    }
    const annualSales = Math.round(rng.next() * rng.next() * 900 * 100) / 100 + 0.5;
    const phone = this.isPhoneOnly(i) || rng.chance(0.85) ? this.phoneNumber(rng, city) : null;

    return {
      id: this.ids.encode("customer", i),
      code: this.customerCode(i),
      name: this.customerName(i),
      status,
      type: rng.pick(CUSTOMER_TYPES),
      note: rng.chance(0.15) ? "Ship complete only. Call before delivery." : null,
      supplierCode: rng.chance(0.4) ? `V${rng.digits(5)}` : null,
      otherCustomerCode: null,
      rating: rng.pick(CUSTOMER_RATINGS),
      industries,
      defaultCarrierIds: [this.carrierId(rng.int(0, CARRIERS.length - 1))],
      region: city.region,
      businessType: rng.pick(BUSINESS_TYPES),
      category,
      class: rng.pick(["Class A", "Class B", "Class C"]),
      catalog: null,
      assignedToId: this.userId(rng.int(0, 11)),
      assignedTo2Id: null,
      assignedTo3Id: null,
      assignedToGroup: rng.pick(["Inside Sales", "Key Accounts", "Export"]),
      contactResourceId: null,
      annualSalesMillions: annualSales,
      estimatedEmployees: rng.pick(["1-49", "50-249", "250-999", "1000+"]),
      phone,
      fax: rng.chance(0.2) ? this.phoneNumber(rng, city) : null,
      email: this.customerEmail(i),
      trackingNoOnWeighScaleRequired: false,
      multipleOrdersPerShipper: rng.chance(0.5),
      estimatedAnnualSales: `${Math.round(annualSales)}M`,
      newShipperPerReleaseNo: false,
      defaultBackOrder: rng.pick(["Allow", "Cancel"]),
      createdById: this.userId(i),
      createdDate: iso(this.customerCreatedMs(i)),
      modifiedById: this.userId(i + 3),
      modifiedDate: iso(this.customerModifiedMs(i)),
    };
  }

  /** Terms of the customer, used on orders and invoices. */
  customerTerms(i: number): (typeof TERMS)[number] {
    return TERMS[hash32(this.seed, Stream.CustomerCore, i, 6) % TERMS.length]!;
  }

  customerIsProspect(i: number): boolean {
    return unit(hash32(this.seed, Stream.CustomerCore, i, 7)) < 0.06;
  }

  // ---- addresses and contacts -----------------------------------------------------------

  addressCount(i: number): number {
    return 1 + (hash32(this.seed, Stream.Counts, i, 1) % 3 === 0 ? 1 : 0) + (i % 11 === 0 ? 1 : 0);
  }

  contactCount(i: number): number {
    return hash32(this.seed, Stream.Counts, i, 2) % 4;
  }

  address(i: number, a: number) {
    const rng = new Rng().reseed(hash32(this.seed, Stream.Address, i, a + 100));
    const city = this.customerCity(i, a);
    const created = this.customerCreatedMs(i) + a * 30 * DAY_MS;
    const createdMs = Math.min(created, this.anchorMs - DAY_MS);
    const modifiedMs = Math.floor(createdMs + (this.anchorMs - createdMs) * rng.next());
    const primary = a === 0;

    return {
      id: this.ids.encode("address", i * 4 + a),
      code: primary ? "MAIN" : `PLANT${a}`,
      note: null,
      quoteTo: primary,
      shipTo: true,
      billTo: primary,
      billToAddressId: primary ? null : this.ids.encode("address", i * 4),
      remitTo: false,
      thirdPartyShipTo: false,
      thirdPartyShipToAddressId: null,
      pool: false,
      poolAddressId: null,
      oldCustomerNo: null,
      active: !(a > 0 && rng.chance(0.1)),
      phone: this.phoneNumber(rng, city),
      fax: null,
      email:
        primary || this.isPhoneOnly(i) || rng.chance(0.7)
          ? null
          : `receiving@${this.customerDomain(i)}`,
      name: this.customerName(i),
      address: `${rng.int(10, 9999)} ${rng.pick(STREETS)}`,
      city: city.city,
      state: city.state,
      zip: `${city.zipPrefix}${rng.digits(2)}`,
      country: city.country,
      region: city.region,
      county: null,
      shippingInstructions: rng.chance(0.2) ? "Dock 4, 7am-3pm" : null,
      ignoreTransitOnWeekends: false,
      transportationLeadTime: rng.int(1, 6),
      defaultCarrierIds: [],
      truckType: null,
      salesTaxExempt: rng.chance(0.3),
      salespersonId: this.userId(i + 1),
      statementAddressId: null,
      freightTerms: "Prepaid",
      insideSalespersonId: this.userId(i + 2),
      defaultShipFrom: "PLT1",
      freightBillTo: false,
      freightBillToAddressId: null,
      catalog: null,
      soldTo: primary,
      dunsNo: rng.chance(0.5) ? rng.digits(9) : null,
      commercialInvoiceVatNo: null,
      terms: this.customerTerms(i),
      template: false,
      incoTerms: city.country === "USA" ? null : "DAP",
      negotiatedPlace: null,
      backOrder: null,
      createdById: this.userId(i),
      createdDate: iso(createdMs),
      modifiedById: this.userId(i + 4),
      modifiedDate: iso(modifiedMs),
    };
  }

  contact(i: number, c: number) {
    const rng = new Rng().reseed(hash32(this.seed, Stream.Contact, i, c));
    const city = this.customerCity(i);
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const createdMs = Math.min(this.customerCreatedMs(i) + c * 90 * DAY_MS, this.anchorMs - DAY_MS);
    const modifiedMs = Math.floor(createdMs + (this.anchorMs - createdMs) * rng.next());

    return {
      id: this.ids.encode("contact", i * 4 + c),
      customerId: this.ids.encode("customer", i),
      firstName,
      lastName,
      supplierId: null,
      phone: this.phoneNumber(rng, city),
      fax: null,
      mobilePhone: rng.chance(0.4) ? this.phoneNumber(rng, city) : null,
      title: rng.pick(CONTACT_TITLES),
      note: null,
      email: this.contactEmail(rng, i, firstName, lastName),
      companyName: this.customerName(i),
      officeAddress: null,
      homeAddress: null,
      private: 0,
      description: null,
      birthDate: null,
      url: null,
      sortOrder: c + 1,
      type: rng.pick(CONTACT_TYPES),
      associatedWithId: null,
      modifiedById: this.userId(i + c),
      modifiedDate: iso(modifiedMs),
      createdById: this.userId(i),
      createdDate: iso(createdMs),
    };
  }

  private contactEmail(rng: Rng, i: number, firstName: string, lastName: string): string | null {
    if (this.isPhoneOnly(i)) return null;
    const local =
      slug(`${firstName}.${lastName}`) === "" ? "contact" : `${slug(firstName)}.${slug(lastName)}`;
    const roll = rng.next();
    if (roll < 0.1) return null;
    if (roll < 0.13) return `${local}@${this.customerDomain(i).replace(".com", "")}`;
    if (roll < 0.16) return this.cleanCustomerEmail(i);
    if (roll < 0.22) return `${local}${rng.int(1, 99)}@${rng.pick(FREE_MAIL_DOMAINS)}`;
    if (roll < 0.25) return `${firstName}.${lastName}@${this.customerDomain(i)}`.toUpperCase();

    return `${local}@${this.customerDomain(i)}`;
  }

  // ---- parts ----------------------------------------------------------------------------

  partCategory(j: number): (typeof PRODUCT_CATEGORIES)[number] {
    return PRODUCT_CATEGORIES[hash32(this.seed, Stream.Part, j, 1) % PRODUCT_CATEGORIES.length]!;
  }

  /** List price of part j in USD; order lines price around it. */
  partBasePrice(j: number): number {
    const u = unit(hash32(this.seed, Stream.Part, j, 2));

    return Math.round((0.35 + u * u * 180) * 100) / 100;
  }

  partNumber(j: number): string {
    return `${this.partCategory(j).group.slice(0, 2).toUpperCase()}-${String(10_000 + j)}`;
  }

  part(j: number) {
    const rng = new Rng().reseed(hash32(this.seed, Stream.Part, j, 3));
    const category = this.partCategory(j);
    const material = rng.pick(PART_MATERIALS);
    const createdMs = Math.floor(this.anchorMs - this.historyMs * 1.2 * rng.next());
    const modifiedMs = Math.floor(createdMs + (this.anchorMs - createdMs) * rng.next());

    return {
      id: this.ids.encode("part", j),
      number: this.partNumber(j),
      name: `${rng.pick(category.names)}, ${material}`,
      revision: rng.pick(["A", "B", "C", "01", "02"]),
      description: `${category.category} – ${material}, customer-specific finish`,
      type: j % 17 === 0 ? rng.pick(PART_TYPES) : "Finished Good",
      group: category.group,
      source: rng.chance(0.9) ? "Manufactured" : "Purchased",
      productType: category.category,
      status: rng.chance(0.9) ? "Production" : rng.pick(["Prototype", "Obsolete", "Service"]),
      note: null,
      leadTimeDays: rng.int(2, 45),
      buildingCode: `PLT${(j % 3) + 1}`,
      createdById: this.userId(j),
      createdDate: iso(createdMs),
      modifiedById: this.userId(j + 5),
      modifiedDate: iso(modifiedMs),
      allergens: [] as string[],
    };
  }
}

export { DAY_MS, YEAR_MS, iso };
