/**
 * The shapes that cross from the mappers to the poller and the writer: what goes in (Plex
 * records, already parsed record by record with the plex-client schemas), what comes out
 * (Mailchimp bodies plus identities and rejections) and the options that steer the mapping.
 * Mappers never throw on bad data: anything they cannot send ends as a TRejection with a stable
 * code and a reason an operator can act on.
 */
import type { TEcommerceCustomer, TMemberStatus } from "@ml-connector/mailchimp-client";
import type { TPlexAddress, TPlexContact, TPlexCustomer } from "@ml-connector/plex-client";

/** Order history of one customer; issue #6 fills it from mapped orders and shipments. */
export type TCustomerOrderStats = {
  orderCount: number;
  /** ISO 8601 date or date-time. */
  firstOrderDate?: string;
  lastOrderDate?: string;
  lifetimeRevenue: number;
  currencyCode?: string;
  productCategories: string[];
  lastShipmentDate?: string;
};

export type TCustomerSource = {
  customer: TPlexCustomer;
  addresses: TPlexAddress[];
  contacts: TPlexContact[];
  stats?: TCustomerOrderStats;
};

export type TMappingOptions = {
  /** Status a member gets only when Mailchimp creates it; never applied to existing members. */
  statusIfNew: Extract<TMemberStatus, "subscribed" | "transactional">;
  /** Marks the tags this connector owns; tags without it belong to users and are never touched. */
  tagPrefix: string;
  includeContacts: boolean;
  includeInactive: boolean;
  /** A customer whose last order is at most this old is an active buyer, older is lapsed. */
  activeBuyerDays: number;
};

/** Options as callers pass them: everything but `now` has a default. */
export type TMappingOptionsInput = Partial<TMappingOptions> & {
  /** The moment of the mapping (for active-buyer/lapsed tags); mappers never read the clock. */
  now: Date;
};

export const DEFAULT_MAPPING_OPTIONS: TMappingOptions = {
  statusIfNew: "subscribed",
  tagPrefix: "plex:",
  includeContacts: true,
  includeInactive: false,
  activeBuyerDays: 365,
};

/** A merge-field value; an address object only ever carries complete addresses. */
export type TMergeFieldValue = string | number | TMergeAddress;

export type TMergeAddress = {
  addr1: string;
  addr2?: string;
  city: string;
  state: string;
  zip: string;
  country?: string;
};

export type TMappedMember = {
  /** Lower-cased and trimmed; the subscriber hash is the MD5 of exactly this string. */
  email: string;
  subscriberHash: string;
  plexCustomerId: string;
  plexContactId?: string;
  mergeFields: Record<string, TMergeFieldValue>;
  /** Managed tags only, every one starting with the tag prefix. */
  tags: string[];
  statusIfNew: TMappingOptions["statusIfNew"];
};

/** How a Plex customer or contact is recognised again on the way back (webhooks, reports). */
export type TIdentity = {
  plexCustomerId: string;
  plexCustomerCode?: string;
  plexContactId?: string;
  email?: string;
  subscriberHash?: string;
  /** Digits only, with the country calling code when it is known (E.164 without the plus). */
  phone?: string;
};

export type TRejectionEntity = "customer" | "contact" | "order";

export type TRejectionCode =
  | "CUSTOMER_ID_MISSING"
  | "CONTACT_ID_MISSING"
  | "EMAIL_MISSING"
  | "EMAIL_INVALID"
  | "EMAIL_PLACEHOLDER"
  | "EMAIL_DUPLICATE_IN_CUSTOMER"
  | "EMAIL_DUPLICATE_ACROSS_CUSTOMERS"
  | "INACTIVE_CUSTOMER"
  | "CUSTOMER_NOT_SENT"
  | "CONTACTS_EXCLUDED"
  | "PHONE_ONLY"
  | "ORDER_ID_MISSING"
  | "CUSTOMER_NOT_SYNCED"
  | "NO_LINES"
  | "PART_UNKNOWN"
  | "PRICE_MISSING"
  | "QUANTITY_MISSING"
  | "CURRENCY_MIXED"
  /** A defect in the mapper itself, never expected; the property tests assert it never occurs. */
  | "MAPPING_FAILED";

export type TRejection = {
  entity: TRejectionEntity;
  /** The Plex id of the rejected record. */
  externalId: string;
  code: TRejectionCode;
  /** One sentence for an operator; e-mail addresses appear masked (j***@example.com). */
  reason: string;
};

export type TCustomerMapping = {
  members: TMappedMember[];
  ecommerceCustomer?: TEcommerceCustomer;
  identities: TIdentity[];
  rejections: TRejection[];
};
