import { describe, expect, it } from "vitest";

import { mapCustomer } from "./customer.mapper.js";
import { detectDuplicateEmails } from "./duplicate-email.detector.js";
import { NOW, plexAddress, plexContact, plexCustomer } from "./testing/plex.fixtures.js";

const shared = "orders@distributor.com";

function customer(id: string, code: string | null, email: string, contactEmail?: string) {
  return mapCustomer(
    {
      customer: plexCustomer({ id, code, email }),
      addresses: [plexAddress({ id: `${id}-a` })],
      contacts:
        contactEmail === undefined
          ? []
          : [plexContact({ id: `${id}-k`, customerId: id, email: contactEmail })],
    },
    { now: NOW },
  );
}

describe("detectDuplicateEmails", () => {
  it("keeps the address with the lowest customer code and rejects the others, naming it", () => {
    const batch = [
      customer("c-3", "ZETA", shared),
      customer("c-1", "ALPHA", shared),
      customer("c-2", "BETA", "beta@beta-mfg.com"),
    ];
    const { mappings, rejections } = detectDuplicateEmails(batch);

    expect(mappings[1]!.members.map((member) => member.email)).toEqual([shared]);
    expect(mappings[0]!.members).toEqual([]);
    expect(mappings[2]).toBe(batch[2]);
    expect(rejections).toEqual([
      {
        entity: "customer",
        externalId: "c-3",
        code: "EMAIL_DUPLICATE_ACROSS_CUSTOMERS",
        reason:
          "customer ZETA has e-mail o***@distributor.com, which Plex customer ALPHA also uses; " +
          "the address stays with that customer",
      },
    ]);
    expect(mappings[0]!.rejections).toEqual(rejections);
  });

  it("gives the same answer whatever order the batch is in", () => {
    const a = customer("c-1", "ALPHA", shared);
    const b = customer("c-2", "BETA", shared);

    const forward = detectDuplicateEmails([a, b]).rejections;
    const backward = detectDuplicateEmails([b, a]).rejections;
    expect(forward).toEqual(backward);
    expect(forward[0]!.externalId).toBe("c-2");
  });

  it("ranks customers without a code after those with one, then by id", () => {
    const { rejections } = detectDuplicateEmails([
      customer("c-0", null, shared),
      customer("c-9", "MIDWEST", shared),
    ]);
    expect(rejections.map((rejection) => rejection.externalId)).toEqual(["c-0"]);

    const noCodes = detectDuplicateEmails([
      customer("c-2", null, shared),
      customer("c-1", null, shared),
    ]);
    expect(noCodes.rejections.map((rejection) => rejection.externalId)).toEqual(["c-2"]);
  });

  it("also catches a contact of one customer using another customer's address", () => {
    const { mappings, rejections } = detectDuplicateEmails([
      customer("c-1", "ALPHA", "alpha@alpha.com"),
      customer("c-2", "BETA", "beta@beta.com", "ALPHA@alpha.com"),
    ]);

    expect(rejections).toMatchObject([
      { entity: "contact", externalId: "c-2-k", code: "EMAIL_DUPLICATE_ACROSS_CUSTOMERS" },
    ]);
    expect(mappings[1]!.members.map((member) => member.email)).toEqual(["beta@beta.com"]);
    // The losing contact's identity no longer claims the address; the winner's still does.
    const loser = mappings[1]!.identities.find((identity) => identity.plexContactId === "c-2-k");
    expect(loser?.email).toBeUndefined();
    expect(loser?.subscriberHash).toBeUndefined();
    expect(mappings[0]!.identities[0]!.email).toBe("alpha@alpha.com");
  });

  it("leaves a batch without duplicates untouched", () => {
    const batch = [customer("c-1", "ALPHA", "a@alpha.com"), customer("c-2", "BETA", "b@beta.com")];
    const result = detectDuplicateEmails(batch);

    expect(result.rejections).toEqual([]);
    expect(result.mappings).toEqual(batch);
  });
});
