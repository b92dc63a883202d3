/**
 * The Mailchimp e-commerce customer of a Plex customer, upserted with
 * `PUT /ecommerce/stores/{store}/customers/{id}` (reference mailchimp-api.md §4). Its id is the
 * Plex customer id, so orders can name it without a lookup. `opt_in_status` is always false: the
 * audience member's status is the member write's business, and false never unsubscribes anyone
 * ("will not overwrite the status of a pre-existing contact", §4) — a new address is added as
 * transactional.
 */
import { createHash } from "node:crypto";

import type { TEcommerceCustomer } from "@ml-connector/mailchimp-client";
import type { TPlexAddress, TPlexContact, TPlexCustomer } from "@ml-connector/plex-client";

import { ecommerceAddress } from "./customer-address.selector.js";
import { plexId } from "./plex-input.guards.js";
import { cleanText } from "./text.normalizer.js";

/** "A unique identifier for the customer. Limited to 50 characters." (spec, customer PUT). */
export const ECOMMERCE_CUSTOMER_ID_MAX = 50;

/**
 * The e-commerce customer id of a Plex customer id. Plex ids are UUIDs (36 characters); a longer
 * id is replaced by a stable hash so the customer and its orders still agree.
 */
export function ecommerceCustomerId(plexCustomerId: string): string {
  if (plexCustomerId.length <= ECOMMERCE_CUSTOMER_ID_MAX) return plexCustomerId;

  return `plex-${createHash("sha256").update(plexCustomerId).digest("hex").slice(0, 40)}`;
}

/** The contact that speaks for the customer: lowest sort order, then lowest id, with a name. */
export function primaryContact(contacts: readonly TPlexContact[]): TPlexContact | undefined {
  const named = contacts.filter(
    (contact) =>
      cleanText(contact.firstName) !== undefined || cleanText(contact.lastName) !== undefined,
  );
  const sortOrder = (contact: TPlexContact) => {
    const value = (contact as { sortOrder?: unknown }).sortOrder;

    return typeof value === "number" && Number.isFinite(value) ? value : Number.MAX_SAFE_INTEGER;
  };

  return [...named].sort((a, b) => {
    const byOrder = sortOrder(a) - sortOrder(b);
    if (byOrder !== 0) return byOrder;

    return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
  })[0];
}

export function mapEcommerceCustomer(
  customer: TPlexCustomer,
  from: { email?: string; address?: TPlexAddress; contact?: TPlexContact },
): TEcommerceCustomer | undefined {
  const id = plexId(customer.id);
  if (id === undefined || from.email === undefined) return undefined;

  const result: TEcommerceCustomer = {
    id: ecommerceCustomerId(id),
    email_address: from.email,
    opt_in_status: false,
  };
  const company = cleanText(customer.name);
  const firstName = cleanText(from.contact?.firstName);
  const lastName = cleanText(from.contact?.lastName);
  const address = ecommerceAddress(from.address);
  if (company !== undefined) result.company = company;
  if (firstName !== undefined) result.first_name = firstName;
  if (lastName !== undefined) result.last_name = lastName;
  if (address !== undefined) result.address = address;

  return result;
}
