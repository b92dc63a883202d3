/**
 * Which of a customer's Plex addresses speaks for the customer, and how it reads in Mailchimp.
 * Plex keeps the street as one free-text `address` column (reference plex-api.md Appendix B), so
 * its first line becomes addr1/address1 and the rest addr2/address2. Mailchimp refuses an address
 * merge value without addr1, city, state and zip or with a line of 45 characters or more
 * (mailchimp-api.md §3.3), so the merge value is only built when it is complete.
 */
import type { TAddress } from "@ml-connector/mailchimp-client";
import type { TPlexAddress } from "@ml-connector/plex-client";

import { countryCode } from "./country.table.js";
import { MERGE_ADDRESS_LINE_MAX } from "./merge-field.definitions.js";
import type { TMergeAddress } from "./mapping.types.js";
import { cleanText } from "./text.normalizer.js";

const isActive = (address: TPlexAddress) => address.active !== false;

/** Deterministic order: Plex returns addresses in no promised order. */
function byId(a: TPlexAddress, b: TPlexAddress): number {
  const left = String(a.id);
  const right = String(b.id);

  return left < right ? -1 : left > right ? 1 : 0;
}

/** The bill-to address, else the sold-to, else the first active one, else any. */
export function primaryAddress(addresses: readonly TPlexAddress[]): TPlexAddress | undefined {
  const usable = addresses.filter((address) => address !== null && typeof address === "object");
  const sorted = [...usable].sort(byId);
  const active = sorted.filter(isActive);

  return (
    active.find((address) => address.billTo === true) ??
    active.find((address) => address.soldTo === true) ??
    active[0] ??
    sorted[0]
  );
}

/** Addresses in the order their e-mail is tried when the customer record has none. */
export function addressesByPreference(addresses: readonly TPlexAddress[]): TPlexAddress[] {
  const primary = primaryAddress(addresses);
  const rest = addresses
    .filter((address) => address !== primary && address !== null && typeof address === "object")
    .filter(isActive)
    .sort(byId);

  return primary === undefined ? rest : [primary, ...rest];
}

export function streetLines(address: TPlexAddress): { line1?: string; line2?: string } {
  const raw = typeof address.address === "string" ? address.address.slice(0, 1024) : "";
  const lines = raw
    .split(/\r?\n|\r/)
    .map((line) => cleanText(line))
    .filter((line): line is string => line !== undefined);
  const [line1, ...rest] = lines;

  return { line1, line2: rest.length > 0 ? cleanText(rest.join(", ")) : undefined };
}

/** The ADDRESS merge value, only when Mailchimp would accept it. */
export function mergeAddress(address: TPlexAddress | undefined): TMergeAddress | undefined {
  if (address === undefined) return undefined;

  const { line1, line2 } = streetLines(address);
  const city = cleanText(address.city);
  const state = cleanText(address.state);
  const zip = cleanText(address.zip);
  if (line1 === undefined || city === undefined || state === undefined || zip === undefined) {
    return undefined;
  }

  const value: TMergeAddress = { addr1: line1, city, state, zip };
  if (line2 !== undefined) value.addr2 = line2;
  const country = countryCode(address.country);
  if (country !== undefined) value.country = country;

  const tooLong = Object.values(value).some((line) => line.length > MERGE_ADDRESS_LINE_MAX);

  return tooLong ? undefined : value;
}

/** The e-commerce address: every part that is present, with the ISO code when recognisable. */
export function ecommerceAddress(address: TPlexAddress | undefined): TAddress | undefined {
  if (address === undefined) return undefined;

  const { line1, line2 } = streetLines(address);
  const state = cleanText(address.state);
  const result: TAddress = {
    address1: line1,
    address2: line2,
    city: cleanText(address.city),
    province: state,
    // Two letters is a state or province code already (MI, ON); longer is a name.
    province_code:
      state !== undefined && /^[A-Za-z]{2}$/.test(state) ? state.toUpperCase() : undefined,
    postal_code: cleanText(address.zip, 20),
    country: cleanText(address.country, 60),
    country_code: countryCode(address.country),
  };
  const present = Object.entries(result).filter(([, value]) => value !== undefined);

  return present.length === 0 ? undefined : Object.fromEntries(present);
}
