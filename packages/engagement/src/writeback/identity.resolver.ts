/**
 * Finds the Plex customer behind a Mailchimp member through identity_links (written by the
 * customer sync): by the subscriber hash of the e-mail first, then by the phone number from the
 * PHONE merge field, normalised the same way the customer mapper does. A phone shared by several
 * customers identifies none of them. `upemail` moves a link to the member's new address.
 */
import type { TSqlPool } from "@ml-connector/db";
import { subscriberHash } from "@ml-connector/mailchimp-client";
import { maskEmail, phoneKey } from "@ml-connector/mappers";

import type { TMemberLookup } from "./event.interpreter.js";

export type TCustomerRef = { plexCustomerId: string; plexCustomerCode: string | null };

export type TResolution =
  | { found: true; customer: TCustomerRef; via: "email" | "phone" | "metadata" }
  | { found: false; reason: string };

type TLinkRow = { key: string; plex_customer_id: string; plex_customer_code: string | null };

export class IdentityResolver {
  private readonly byHash = new Map<string, TCustomerRef>();
  private readonly byPhone = new Map<string, TCustomerRef[]>();

  constructor(
    private readonly sql: TSqlPool,
    private readonly connectionId: string,
  ) {}

  /** Loads every link the lookups may need in two queries. */
  async prefetch(lookups: TMemberLookup[]): Promise<void> {
    const hashes = new Set<string>();
    const phones = new Set<string>();
    for (const lookup of lookups) {
      if (lookup.email !== undefined) hashes.add(subscriberHash(lookup.email));
      const phone =
        lookup.phone === undefined ? undefined : phoneKey(lookup.phone.value, lookup.phone.country);
      if (phone !== undefined) phones.add(phone.digits);
    }
    if (hashes.size > 0) {
      const rows = await this.sql.query<TLinkRow>(
        `SELECT subscriber_hash AS key, plex_customer_id, plex_customer_code FROM identity_links
         WHERE connection_id = $1 AND subscriber_hash = ANY($2::text[])`,
        [this.connectionId, [...hashes]],
      );
      for (const row of rows.rows) this.byHash.set(row.key, ref(row));
    }
    if (phones.size > 0) {
      const rows = await this.sql.query<TLinkRow>(
        `SELECT DISTINCT phone AS key, plex_customer_id, plex_customer_code FROM identity_links
         WHERE connection_id = $1 AND phone = ANY($2::text[])`,
        [this.connectionId, [...phones]],
      );
      for (const row of rows.rows)
        this.byPhone.set(row.key, [...(this.byPhone.get(row.key) ?? []), ref(row)]);
    }
  }

  async resolve(lookup: TMemberLookup): Promise<TResolution> {
    const byMetadata = await this.byPlexIds(lookup);
    if (byMetadata !== undefined) return { found: true, customer: byMetadata, via: "metadata" };

    if (lookup.email !== undefined) {
      const hash = subscriberHash(lookup.email);
      const customer = this.byHash.get(hash) ?? (await this.loadHash(hash));
      if (customer !== undefined) return { found: true, customer, via: "email" };
    }
    const phone =
      lookup.phone === undefined ? undefined : phoneKey(lookup.phone.value, lookup.phone.country);
    if (phone !== undefined) {
      const customers = uniqueCustomers(this.byPhone.get(phone.digits) ?? []);
      if (customers.length === 1) return { found: true, customer: customers[0]!, via: "phone" };
      if (customers.length > 1) {
        return {
          found: false,
          reason: `the phone number matches ${customers.length} Plex customers`,
        };
      }
    }
    const who = lookup.email === undefined ? "this member" : maskEmail(lookup.email);

    return { found: false, reason: `no Plex customer is linked to ${who} (by e-mail or phone)` };
  }

  /**
   * Moves the link of `oldEmail` to `newEmail`. "conflict" when the new address is already
   * linked to another customer; "unknown" when neither address is linked.
   */
  async relink(
    oldEmail: string,
    newEmail: string,
  ): Promise<"moved" | "already" | "conflict" | "unknown"> {
    const oldHash = subscriberHash(oldEmail);
    const newHash = subscriberHash(newEmail);
    const current = await this.loadHash(newHash);
    const previous = await this.loadHash(oldHash);
    if (previous === undefined) return current === undefined ? "unknown" : "already";
    if (current !== undefined) {
      return current.plexCustomerId === previous.plexCustomerId ? "already" : "conflict";
    }
    await this.sql.query(
      `UPDATE identity_links SET subscriber_hash = $3, email = $4, updated_at = now()
       WHERE connection_id = $1 AND subscriber_hash = $2`,
      [this.connectionId, oldHash, newHash, newEmail.trim().toLowerCase()],
    );
    this.byHash.delete(oldHash);
    this.byHash.set(newHash, previous);

    return "moved";
  }

  private async loadHash(hash: string): Promise<TCustomerRef | undefined> {
    if (this.byHash.has(hash)) return this.byHash.get(hash);
    const rows = await this.sql.query<TLinkRow>(
      `SELECT subscriber_hash AS key, plex_customer_id, plex_customer_code FROM identity_links
       WHERE connection_id = $1 AND subscriber_hash = $2`,
      [this.connectionId, hash],
    );
    const row = rows.rows[0];
    if (row === undefined) return undefined;
    this.byHash.set(hash, ref(row));

    return ref(row);
  }

  private async byPlexIds(lookup: TMemberLookup): Promise<TCustomerRef | undefined> {
    if (lookup.plexCustomerCode === undefined && lookup.plexCustomerId === undefined)
      return undefined;
    const rows = await this.sql.query<TLinkRow>(
      `SELECT plex_customer_id AS key, plex_customer_id, plex_customer_code FROM identity_links
       WHERE connection_id = $1 AND (plex_customer_code = $2 OR plex_customer_id = $3) LIMIT 1`,
      [this.connectionId, lookup.plexCustomerCode ?? null, lookup.plexCustomerId ?? null],
    );
    const row = rows.rows[0];

    return row === undefined ? undefined : ref(row);
  }
}

function ref(row: TLinkRow): TCustomerRef {
  return { plexCustomerId: row.plex_customer_id, plexCustomerCode: row.plex_customer_code };
}

function uniqueCustomers(refs: TCustomerRef[]): TCustomerRef[] {
  const seen = new Map<string, TCustomerRef>();
  for (const customer of refs) seen.set(customer.plexCustomerId, customer);

  return [...seen.values()];
}
