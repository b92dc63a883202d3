/**
 * One Plex customer (with its addresses, contacts and order statistics) → the audience members,
 * the e-commerce customer, the identities the write-back matches on, and the rejections of
 * everything that cannot be sent. DESIGN.md "The product" §1: identity by e-mail (member key =
 * MD5 of the lower-cased address), falling back to phone. Never throws: malformed records end as
 * rejections with a stable code and a reason.
 */
import { subscriberHash } from "@ml-connector/mailchimp-client";
import type { TPlexAddress, TPlexContact, TPlexCustomer } from "@ml-connector/plex-client";

import { addressesByPreference, primaryAddress } from "./customer-address.selector.js";
import { checkEmail, maskEmail } from "./email.rules.js";
import { mapEcommerceCustomer, primaryContact } from "./ecommerce-customer.mapper.js";
import { customerTags, memberTags } from "./member-tags.mapper.js";
import {
  contactMemberFields,
  customerMemberFields,
  customerMergeFields,
} from "./member-merge-fields.mapper.js";
import { resolveOptions } from "./mapping.options.js";
import {
  type TCustomerMapping,
  type TCustomerSource,
  type TIdentity,
  type TMappedMember,
  type TMappingOptions,
  type TMappingOptionsInput,
  type TRejection,
} from "./mapping.types.js";
import { phoneKey } from "./phone.normalizer.js";
import { customerLabel, emailReason } from "./rejection.reasons.js";
import { plexId, recordList } from "./plex-input.guards.js";
import { cleanText } from "./text.normalizer.js";

/** Plex customer statuses that mean "no longer a customer" (setup-table values vary). */
const INACTIVE_STATUS = /^(inactive|deleted|obsolete|closed|disabled|dead)$/i;

export function mapCustomer(
  source: TCustomerSource,
  optionsInput: TMappingOptionsInput,
): TCustomerMapping {
  try {
    return mapCustomerRecords(source, resolveOptions(optionsInput));
  } catch (error) {
    // A mapper must not take a worker down; a defect surfaces as a rejection with its message.
    const message = error instanceof Error ? error.message : String(error);
    const externalId = typeof source?.customer?.id === "string" ? source.customer.id : "";

    return {
      members: [],
      identities: [],
      rejections: [
        {
          entity: "customer",
          externalId,
          code: "MAPPING_FAILED",
          reason: `the customer could not be mapped: ${message.slice(0, 200)}`,
        },
      ],
    };
  }
}

function mapCustomerRecords(
  source: TCustomerSource,
  options: TMappingOptions & { now: Date },
): TCustomerMapping {
  const customer: TPlexCustomer | undefined =
    source?.customer !== null && typeof source?.customer === "object" ? source.customer : undefined;
  const customerId = plexId(customer?.id);
  if (customer === undefined || customerId === undefined) {
    return {
      members: [],
      identities: [],
      rejections: [
        {
          entity: "customer",
          externalId: customerId ?? "",
          code: "CUSTOMER_ID_MISSING",
          reason: "a Plex customer record arrived without a usable id and cannot be matched",
        },
      ],
    };
  }

  const addresses = recordList<TPlexAddress>(source.addresses);
  const contacts = recordList<TPlexContact>(source.contacts).sort((a, b) =>
    String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0,
  );
  const stats =
    source.stats !== null && typeof source.stats === "object" ? source.stats : undefined;
  const address = primaryAddress(addresses);
  const label = customerLabel(customer);
  const code = cleanText(customer.code, 200);
  const rejections: TRejection[] = [];
  const identities: TIdentity[] = [];
  const members: TMappedMember[] = [];

  const shared = customerMergeFields(customer, address, stats);
  const sharedTags = customerTags(
    {
      industries: Array.isArray(customer.industries) ? customer.industries : [],
      region: customer.region ?? address?.region,
      customerType: customer.type,
      accountCategory: customer.category,
      stats,
    },
    options.tagPrefix,
    options.now,
    options.activeBuyerDays,
  );
  const tags = (kind: "customer" | "contact", contactType?: unknown) =>
    memberTags(sharedTags, options.tagPrefix, { kind, contactType });

  // Each address is hashed once, for its member and its identity alike.
  const hashes = new Map<string, string>();
  const hashOf = (email: string) => {
    const known = hashes.get(email);
    if (known !== undefined) return known;
    const hash = subscriberHash(email);
    hashes.set(email, hash);

    return hash;
  };

  // The customer's own address: its e-mail, else the addresses' e-mails by preference.
  const candidates = [customer.email, ...addressesByPreference(addresses).map((a) => a.email)];
  const checks = candidates.map((raw) => ({ raw, check: checkEmail(raw) }));
  const chosen = checks.find(({ check }) => check.ok);
  const customerEmail = chosen?.check.ok === true ? chosen.check.email : undefined;
  const firstProblem = checks.find(({ check }) => !check.ok && check.code !== "EMAIL_MISSING");
  const customerPhone =
    phoneKey(customer.phone, address?.country) ?? phoneKey(address?.phone, address?.country);

  identities.push(
    dropUndefined({
      plexCustomerId: customerId,
      plexCustomerCode: code,
      email: customerEmail,
      subscriberHash: customerEmail === undefined ? undefined : hashOf(customerEmail),
      phone: customerPhone?.digits,
    }),
  );

  const active = !INACTIVE_STATUS.test(cleanText(customer.status, 40) ?? "");
  if (!active && !options.includeInactive) {
    rejections.push({
      entity: "customer",
      externalId: customerId,
      code: "INACTIVE_CUSTOMER",
      reason:
        `${label} has status "${cleanText(customer.status, 40)}" in Plex; inactive customers ` +
        "are not sent (option includeInactive)",
    });
  } else if (customerEmail !== undefined) {
    members.push({
      email: customerEmail,
      subscriberHash: hashOf(customerEmail),
      plexCustomerId: customerId,
      mergeFields: customerMemberFields(shared, customer, customerPhone),
      tags: tags("customer"),
      statusIfNew: options.statusIfNew,
    });
  } else if (firstProblem !== undefined) {
    rejections.push({
      entity: "customer",
      externalId: customerId,
      code: firstProblem.check.ok ? "EMAIL_INVALID" : firstProblem.check.code,
      reason: emailReason(label, firstProblem.raw, firstProblem.check),
    });
  }

  const sendMembers = active || options.includeInactive;
  const seen = new Map<string, string>();
  if (customerEmail !== undefined) seen.set(customerEmail, "the customer record");

  for (const contact of contacts) {
    const contactId = plexId(contact.id);
    if (contactId === undefined) {
      rejections.push({
        entity: "contact",
        externalId: "",
        code: "CONTACT_ID_MISSING",
        reason: `a contact of ${label} arrived without a usable id and cannot be matched`,
      });
      continue;
    }

    const contactPhone =
      phoneKey(contact.phone, address?.country) ?? phoneKey(contact.mobilePhone, address?.country);
    const check = checkEmail(contact.email);
    const subject = `contact ${contactId} of ${label}`;
    const duplicateOf = check.ok ? seen.get(check.email) : undefined;
    const usable = check.ok && duplicateOf === undefined;

    identities.push(
      dropUndefined({
        plexCustomerId: customerId,
        plexCustomerCode: code,
        plexContactId: contactId,
        email: usable ? check.email : undefined,
        subscriberHash: usable ? hashOf(check.email) : undefined,
        phone: contactPhone?.digits,
      }),
    );
    // Every contact ends with an outcome of its own, also those that are not sent at all.
    if (!sendMembers) {
      rejections.push({
        entity: "contact",
        externalId: contactId,
        code: "CUSTOMER_NOT_SENT",
        reason: `${subject} is not sent because its customer is not (inactive in Plex)`,
      });
      continue;
    }
    if (!options.includeContacts) {
      rejections.push({
        entity: "contact",
        externalId: contactId,
        code: "CONTACTS_EXCLUDED",
        reason: `${subject} is not sent: contacts are left out (option includeContacts)`,
      });
      continue;
    }

    if (check.ok && duplicateOf !== undefined) {
      rejections.push({
        entity: "contact",
        externalId: contactId,
        code: "EMAIL_DUPLICATE_IN_CUSTOMER",
        reason:
          `${subject} has e-mail ${maskEmail(check.email)}, already used by ${duplicateOf}; ` +
          "one address is one member",
      });
    } else if (check.ok) {
      seen.set(check.email, `contact ${contactId}`);
      members.push({
        email: check.email,
        subscriberHash: hashOf(check.email),
        plexCustomerId: customerId,
        plexContactId: contactId,
        mergeFields: contactMemberFields(shared, contact, contactPhone),
        tags: tags("contact", contact.type),
        statusIfNew: options.statusIfNew,
      });
    } else if (check.code === "EMAIL_MISSING" && contactPhone !== undefined) {
      rejections.push({
        entity: "contact",
        externalId: contactId,
        code: "PHONE_ONLY",
        reason: `${subject} has a phone number but no e-mail address; it is kept for matching by phone`,
      });
    } else {
      rejections.push({
        entity: "contact",
        externalId: contactId,
        code: check.code,
        reason: emailReason(subject, contact.email, check),
      });
    }
  }

  // A customer without any address of its own is only "rejected" when nothing of it reaches
  // Mailchimp; when its contacts became members, the customer is represented by them.
  const noOwnAddress = customerEmail === undefined && firstProblem === undefined;
  if (sendMembers && noOwnAddress && members.length === 0) {
    rejections.unshift(
      customerPhone === undefined
        ? {
            entity: "customer",
            externalId: customerId,
            code: "EMAIL_MISSING",
            reason: `${label} has no e-mail address and no phone number`,
          }
        : {
            entity: "customer",
            externalId: customerId,
            code: "PHONE_ONLY",
            reason:
              `${label} has a phone number but no e-mail address, so it cannot be an audience ` +
              "member; it is kept for matching by phone",
          },
    );
  }

  const ecommerceCustomer = sendMembers
    ? mapEcommerceCustomer(customer, {
        email: customerEmail ?? members[0]?.email,
        address,
        contact: primaryContact(contacts),
      })
    : undefined;

  return ecommerceCustomer === undefined
    ? { members, identities, rejections }
    : { members, ecommerceCustomer, identities, rejections };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
