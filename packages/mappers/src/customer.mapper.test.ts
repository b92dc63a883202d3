import { subscriberHash } from "@ml-connector/mailchimp-client";
import { describe, expect, it } from "vitest";

import { contentHash } from "./content-hash.js";
import { mapCustomer } from "./customer.mapper.js";
import type { TCustomerOrderStats, TCustomerSource } from "./mapping.types.js";
import { NOW, plexAddress, plexContact, plexCustomer } from "./testing/plex.fixtures.js";

const STATS: TCustomerOrderStats = {
  orderCount: 7,
  firstOrderDate: "2022-11-03T14:00:00Z",
  lastOrderDate: "2025-03-10T08:30:00Z",
  lifetimeRevenue: 48210.456,
  currencyCode: "USD",
  productCategories: ["Brackets", "Fasteners"],
  lastShipmentDate: "2025-03-20T15:00:00Z",
};

function source(overrides: Partial<TCustomerSource> = {}): TCustomerSource {
  return {
    customer: plexCustomer(),
    addresses: [plexAddress()],
    contacts: [plexContact()],
    stats: STATS,
    ...overrides,
  };
}

describe("mapCustomer: members", () => {
  it("makes the customer's own address and each contact with an e-mail a member", () => {
    const mapping = mapCustomer(source(), { now: NOW });

    expect(mapping.rejections).toEqual([]);
    expect(mapping.members.map((member) => [member.email, member.plexContactId])).toEqual([
      ["purchasing@acme-stamping.com", undefined],
      ["juergen.mueller@acme-stamping.com", "k0000000-0000-4000-8000-000000000001"],
    ]);
    for (const member of mapping.members) {
      expect(member.subscriberHash).toBe(subscriberHash(member.email));
      expect(member.plexCustomerId).toBe("c0000000-0000-4000-8000-000000000001");
      expect(member.statusIfNew).toBe("subscribed");
    }
  });

  it("fills the segmentation merge fields from customer, address and order statistics", () => {
    const [customerMember, contactMember] = mapCustomer(source(), { now: NOW }).members;

    expect(customerMember!.mergeFields).toEqual({
      FNAME: "Acme Stamping Inc.",
      COMPANY: "Acme Stamping Inc.",
      CUSTCODE: "ACME01",
      CITY: "Detroit",
      STATE: "MI",
      COUNTRY: "USA",
      ADDRESS: {
        addr1: "1200 Woodward Ave",
        city: "Detroit",
        state: "MI",
        zip: "48226",
        country: "US",
      },
      REGION: "Great Lakes",
      INDUSTRY: "Automotive; Heavy Equipment",
      CUSTTYPE: "OEM",
      CUSTSTATUS: "Active",
      ORDERCOUNT: 7,
      FIRSTORDER: "2022-11-03",
      LASTORDER: "2025-03-10",
      REVENUE: 48210.46,
      CATEGORIES: "Brackets; Fasteners",
      LASTSHIP: "2025-03-20",
      PHONE: "+13135550142",
    });
    expect(contactMember!.mergeFields).toMatchObject({
      FNAME: "Jürgen",
      LNAME: "Müller",
      JOBTITLE: "Buyer",
      COMPANY: "Acme Stamping Inc.",
      CUSTCODE: "ACME01",
      ORDERCOUNT: 7,
      PHONE: "+13135550199",
    });
  });

  it("omits fields it has no data for instead of sending null, undefined or empty text", () => {
    const mapping = mapCustomer(
      {
        customer: { id: "c-1", email: "buyer@firm.com", name: null, industries: null, status: "" },
        addresses: [],
        contacts: [],
      },
      { now: NOW },
    );

    expect(mapping.members[0]!.mergeFields).toEqual({});
    expect(JSON.stringify(mapping)).not.toMatch(/null|undefined|""/);
  });

  it("falls back to the bill-to address e-mail when the customer has none or a bad one", () => {
    for (const email of [null, "", "n/a"]) {
      const mapping = mapCustomer(
        source({
          customer: plexCustomer({ email }),
          addresses: [
            plexAddress({ id: "a2", billTo: false, email: "receiving@acme-stamping.com" }),
            plexAddress({ id: "a1", billTo: true, email: "AP@acme-stamping.com" }),
          ],
          contacts: [],
        }),
        { now: NOW },
      );
      expect(mapping.members.map((member) => member.email)).toEqual(["ap@acme-stamping.com"]);
      expect(mapping.rejections).toEqual([]);
    }
  });

  it("takes statusIfNew from the options", () => {
    const mapping = mapCustomer(source(), { now: NOW, statusIfNew: "transactional" });

    expect(mapping.members.every((member) => member.statusIfNew === "transactional")).toBe(true);
  });

  it("leaves contacts out when includeContacts is false", () => {
    const mapping = mapCustomer(source(), { now: NOW, includeContacts: false });

    expect(mapping.members).toHaveLength(1);
    expect(mapping.identities).toHaveLength(2);
    // The contact still ends with an outcome, so its record never waits for ever.
    expect(mapping.rejections).toMatchObject([{ entity: "contact", code: "CONTACTS_EXCLUDED" }]);
  });

  it("maps contacts in a stable order whatever order Plex returns them in", () => {
    const contacts = [
      plexContact({ id: "k-b", email: "b.buyer@acme-stamping.com" }),
      plexContact({ id: "k-a", email: "a.buyer@acme-stamping.com" }),
    ];
    const forward = mapCustomer(source({ contacts }), { now: NOW });
    const backward = mapCustomer(source({ contacts: [...contacts].reverse() }), { now: NOW });

    expect(contentHash(forward)).toBe(contentHash(backward));
  });
});

describe("mapCustomer: addresses", () => {
  it("sends separate location fields but no ADDRESS when the address is incomplete", () => {
    const [member] = mapCustomer(
      source({ addresses: [plexAddress({ zip: null })], contacts: [] }),
      { now: NOW },
    ).members;

    expect(member!.mergeFields.ADDRESS).toBeUndefined();
    expect(member!.mergeFields).toMatchObject({ CITY: "Detroit", STATE: "MI", COUNTRY: "USA" });
  });

  it("sends no ADDRESS when a line has 45 characters or more", () => {
    const [member] = mapCustomer(
      source({ addresses: [plexAddress({ address: `1200 ${"Woodward ".repeat(5)}Avenue` })] }),
      { now: NOW },
    ).members;

    expect(member!.mergeFields.ADDRESS).toBeUndefined();
  });

  it("splits a multi-line Plex street into addr1 and addr2", () => {
    const [member] = mapCustomer(
      source({ addresses: [plexAddress({ address: "1200 Woodward Ave\nSuite 400" })] }),
      { now: NOW },
    ).members;

    expect(member!.mergeFields.ADDRESS).toMatchObject({
      addr1: "1200 Woodward Ave",
      addr2: "Suite 400",
    });
  });

  it("prefers the active bill-to address over others", () => {
    const [member] = mapCustomer(
      source({
        addresses: [
          plexAddress({ id: "a0", billTo: false, soldTo: false, city: "Toledo", state: "OH" }),
          plexAddress({ id: "a1", billTo: true, active: false, city: "Flint" }),
          plexAddress({ id: "a2", billTo: true, city: "Windsor", state: "ON", country: "Canada" }),
        ],
      }),
      { now: NOW },
    ).members;

    expect(member!.mergeFields).toMatchObject({ CITY: "Windsor", STATE: "ON", COUNTRY: "Canada" });
  });
});

describe("mapCustomer: rejections and identities", () => {
  it("rejects a customer whose e-mail is invalid, with the address masked", () => {
    const mapping = mapCustomer(
      source({ customer: plexCustomer({ email: "purchasing@@acme-stamping.com" }), contacts: [] }),
      { now: NOW },
    );

    expect(mapping.members).toEqual([]);
    expect(mapping.rejections).toEqual([
      {
        entity: "customer",
        externalId: "c0000000-0000-4000-8000-000000000001",
        code: "EMAIL_INVALID",
        reason:
          "customer ACME01 has e-mail p***@acme-stamping.com, which is not a valid address " +
          "(has more than one @)",
      },
    ]);
    expect(mapping.rejections[0]!.reason).not.toContain("purchasing@");
  });

  it("rejects placeholders such as test@test.com", () => {
    const mapping = mapCustomer(
      source({ customer: plexCustomer({ email: "test@test.com" }), contacts: [] }),
      { now: NOW },
    );

    expect(mapping.rejections[0]).toMatchObject({ code: "EMAIL_PLACEHOLDER" });
    expect(mapping.rejections[0]!.reason).toContain("t***@test.com");
  });

  it("keeps a phone-only customer as an identity for matching by phone, not as a member", () => {
    const mapping = mapCustomer(
      source({
        customer: plexCustomer({ email: null, phone: "(616) 555-0123" }),
        addresses: [plexAddress({ email: null })],
        contacts: [plexContact({ email: null, phone: "616.555.0188" })],
      }),
      { now: NOW },
    );

    expect(mapping.members).toEqual([]);
    expect(mapping.ecommerceCustomer).toBeUndefined();
    expect(mapping.identities).toEqual([
      {
        plexCustomerId: "c0000000-0000-4000-8000-000000000001",
        plexCustomerCode: "ACME01",
        phone: "16165550123",
      },
      {
        plexCustomerId: "c0000000-0000-4000-8000-000000000001",
        plexCustomerCode: "ACME01",
        plexContactId: "k0000000-0000-4000-8000-000000000001",
        phone: "16165550188",
      },
    ]);
    expect(mapping.rejections.map((rejection) => [rejection.entity, rejection.code])).toEqual([
      ["customer", "PHONE_ONLY"],
      ["contact", "PHONE_ONLY"],
    ]);
  });

  it("reports a customer with neither e-mail nor phone as EMAIL_MISSING", () => {
    const mapping = mapCustomer(
      source({
        customer: plexCustomer({ email: null, phone: null }),
        addresses: [plexAddress({ phone: null })],
        contacts: [],
      }),
      { now: NOW },
    );

    expect(mapping.rejections).toMatchObject([{ entity: "customer", code: "EMAIL_MISSING" }]);
  });

  it("does not reject a customer without its own address when its contacts are members", () => {
    const mapping = mapCustomer(source({ customer: plexCustomer({ email: null }) }), { now: NOW });

    expect(mapping.rejections).toEqual([]);
    expect(mapping.members.map((member) => member.plexContactId)).toEqual([
      "k0000000-0000-4000-8000-000000000001",
    ]);
    expect(mapping.ecommerceCustomer?.email_address).toBe("juergen.mueller@acme-stamping.com");
  });

  it("rejects a contact that repeats an address already used in the same customer", () => {
    const mapping = mapCustomer(
      source({
        contacts: [
          plexContact({ id: "k1", email: " PURCHASING@acme-stamping.com" }),
          plexContact({ id: "k2", email: "buyer@acme-stamping.com" }),
          plexContact({ id: "k3", email: "Buyer@Acme-Stamping.com" }),
        ],
      }),
      { now: NOW },
    );

    expect(mapping.members.map((member) => member.email)).toEqual([
      "purchasing@acme-stamping.com",
      "buyer@acme-stamping.com",
    ]);
    expect(mapping.rejections).toMatchObject([
      { entity: "contact", externalId: "k1", code: "EMAIL_DUPLICATE_IN_CUSTOMER" },
      { entity: "contact", externalId: "k3", code: "EMAIL_DUPLICATE_IN_CUSTOMER" },
    ]);
    expect(mapping.rejections[1]!.reason).toContain("already used by contact k2");
    // The duplicate's identity carries no e-mail: the address identifies the first owner only.
    expect(mapping.identities.find((identity) => identity.plexContactId === "k3")?.email).toBe(
      undefined,
    );
  });

  it("rejects inactive customers unless includeInactive is set", () => {
    const inactive = source({ customer: plexCustomer({ status: "Inactive" }) });
    const skipped = mapCustomer(inactive, { now: NOW });

    expect(skipped.members).toEqual([]);
    expect(skipped.ecommerceCustomer).toBeUndefined();
    expect(skipped.rejections).toMatchObject([
      { entity: "customer", code: "INACTIVE_CUSTOMER" },
      { entity: "contact", code: "CUSTOMER_NOT_SENT" },
    ]);
    expect(skipped.identities).toHaveLength(2);

    const included = mapCustomer(inactive, { now: NOW, includeInactive: true });
    expect(included.members).toHaveLength(2);
    expect(included.members[0]!.mergeFields.CUSTSTATUS).toBe("Inactive");
  });

  it("answers a record without an id with a rejection, not an exception", () => {
    const mapping = mapCustomer(
      { customer: { id: "  " }, addresses: [], contacts: [] },
      { now: NOW },
    );
    expect(mapping.rejections).toMatchObject([{ code: "CUSTOMER_ID_MISSING" }]);

    const broken = mapCustomer(null as unknown as TCustomerSource, { now: NOW });
    expect(broken.rejections).toMatchObject([{ code: "CUSTOMER_ID_MISSING" }]);
  });
});

describe("mapCustomer: e-commerce customer", () => {
  it("uses the Plex id, the member e-mail, opt-in false, company, primary contact and address", () => {
    const mapping = mapCustomer(
      source({
        contacts: [
          plexContact({ id: "k2", firstName: "Ana", lastName: "Souza", email: null }),
          plexContact({ id: "k1" }),
        ],
      }),
      { now: NOW },
    );

    expect(mapping.ecommerceCustomer).toEqual({
      id: "c0000000-0000-4000-8000-000000000001",
      email_address: "purchasing@acme-stamping.com",
      opt_in_status: false,
      company: "Acme Stamping Inc.",
      first_name: "Jürgen",
      last_name: "Müller",
      address: {
        address1: "1200 Woodward Ave",
        city: "Detroit",
        province: "MI",
        province_code: "MI",
        postal_code: "48226",
        country: "USA",
        country_code: "US",
      },
    });
  });

  it("leaves the country code out when the country is not recognisable", () => {
    const mapping = mapCustomer(
      source({ addresses: [plexAddress({ country: "Atlantis", state: "Outer Ring" })] }),
      { now: NOW },
    );

    expect(mapping.ecommerceCustomer?.address).toMatchObject({
      country: "Atlantis",
      province: "Outer Ring",
    });
    expect(mapping.ecommerceCustomer?.address?.country_code).toBeUndefined();
    expect(mapping.ecommerceCustomer?.address?.province_code).toBeUndefined();
  });

  it("keeps ids within Mailchimp's 50 characters, stably", () => {
    const id = `customer-${"x".repeat(60)}`;
    const first = mapCustomer(source({ customer: plexCustomer({ id }) }), { now: NOW });
    const again = mapCustomer(source({ customer: plexCustomer({ id }) }), { now: NOW });

    expect(first.ecommerceCustomer!.id.length).toBeLessThanOrEqual(50);
    expect(first.ecommerceCustomer!.id).toBe(again.ecommerceCustomer!.id);
    expect(first.members[0]!.plexCustomerId).toBe(id);
  });
});
