/**
 * Merge-field values of one member, built from the customer, its primary address, its order
 * statistics and (for contact members) the contact. Every value fits its field's type (see
 * merge-field.definitions.ts): text is cleaned and at most 255 characters, numbers are finite,
 * dates are YYYY-MM-DD, the address is complete. Missing data leaves the field out; null,
 * "undefined" or "" are never sent, since "" would clear what Mailchimp holds (§3.3).
 */
import type { TPlexAddress, TPlexContact, TPlexCustomer } from "@ml-connector/plex-client";

import { mergeAddress } from "./customer-address.selector.js";
import { MERGE_TEXT_MAX, type TMergeTag } from "./merge-field.definitions.js";
import type { TCustomerOrderStats, TMergeFieldValue } from "./mapping.types.js";
import { displayPhone, type TPhoneKey } from "./phone.normalizer.js";
import { cleanText, finiteNumber, isoDate, roundMoney } from "./text.normalizer.js";

export type TMergeFields = Partial<Record<TMergeTag, TMergeFieldValue>>;

/** Joins list values ("Automotive; Electronics") within the text limit, whole items only. */
export function joinList(values: readonly unknown[]): string | undefined {
  const items = [...new Set(values.map((value) => cleanText(value, 80)))].filter(
    (item): item is string => item !== undefined,
  );
  let joined = "";
  for (const item of items) {
    const next = joined === "" ? item : `${joined}; ${item}`;
    if (next.length > MERGE_TEXT_MAX) break;
    joined = next;
  }

  return joined === "" ? undefined : joined;
}

/** The fields every member of a customer shares: who the customer is and how it buys. */
export function customerMergeFields(
  customer: TPlexCustomer,
  address: TPlexAddress | undefined,
  stats: TCustomerOrderStats | undefined,
): TMergeFields {
  const fields: TMergeFields = {
    COMPANY: cleanText(customer.name),
    CUSTCODE: cleanText(customer.code),
    CITY: cleanText(address?.city),
    STATE: cleanText(address?.state),
    COUNTRY: cleanText(address?.country),
    ADDRESS: mergeAddress(address),
    REGION: cleanText(customer.region) ?? cleanText(address?.region),
    INDUSTRY: joinList(Array.isArray(customer.industries) ? customer.industries : []),
    CUSTTYPE: cleanText(customer.type),
    CUSTSTATUS: cleanText(customer.status),
  };

  return { ...fields, ...statsMergeFields(stats) };
}

function statsMergeFields(stats: TCustomerOrderStats | undefined): TMergeFields {
  if (stats === undefined || stats === null || typeof stats !== "object") return {};

  const orderCount = finiteNumber(stats.orderCount);
  const revenue = finiteNumber(stats.lifetimeRevenue);
  const categories = Array.isArray(stats.productCategories) ? stats.productCategories : [];

  return {
    ORDERCOUNT: orderCount !== undefined && orderCount >= 0 ? Math.floor(orderCount) : undefined,
    FIRSTORDER: isoDate(stats.firstOrderDate),
    LASTORDER: isoDate(stats.lastOrderDate),
    REVENUE: revenue !== undefined && Math.abs(revenue) < 1e15 ? roundMoney(revenue) : undefined,
    CATEGORIES: joinList(categories),
    LASTSHIP: isoDate(stats.lastShipmentDate),
  };
}

/** The customer's own member: the company is its name (FNAME), there is no person. */
export function customerMemberFields(
  shared: TMergeFields,
  customer: TPlexCustomer,
  phone: TPhoneKey | undefined,
): Record<string, TMergeFieldValue> {
  return compact({
    ...shared,
    FNAME: cleanText(customer.name),
    PHONE: phone === undefined ? undefined : displayPhone(phone),
  });
}

export function contactMemberFields(
  shared: TMergeFields,
  contact: TPlexContact,
  phone: TPhoneKey | undefined,
): Record<string, TMergeFieldValue> {
  return compact({
    ...shared,
    FNAME: cleanText(contact.firstName),
    LNAME: cleanText(contact.lastName),
    COMPANY: shared.COMPANY ?? cleanText(contact.companyName),
    JOBTITLE: cleanText(contact.title),
    PHONE: phone === undefined ? undefined : displayPhone(phone),
  });
}

/** Drops absent values; the key order is fixed by the code above, so equal input is equal. */
function compact(fields: TMergeFields): Record<string, TMergeFieldValue> {
  const result: Record<string, TMergeFieldValue> = {};
  for (const [tag, value] of Object.entries(fields)) {
    if (value !== undefined) result[tag] = value;
  }

  return result;
}
