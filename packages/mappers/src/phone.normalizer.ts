/**
 * Phone numbers as a matching key. Plex holds them as typed ("(313) 555-0142", "313.555.0142",
 * "+49 89 1234567", "0049 89 …", "555-0142 ext. 12"); identity matching by phone (the fallback
 * when a customer has no usable e-mail, DESIGN.md "The product" §1) needs one canonical form on
 * both sides. The form is E.164 without the plus: country calling code then national number,
 * digits only. When the country cannot be told, the digits are kept as they are; a value too
 * short or too long to be a phone number is no key at all.
 */
import { callingCode } from "./country.table.js";

/** E.164 allows at most 15 digits; fewer than 7 is an extension or a typo. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

const EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i;

export type TPhoneKey = {
  /** Digits only: calling code + national number when `international`, else as typed. */
  digits: string;
  international: boolean;
};

/** Canonical phone key, or undefined. `country` is the address country (name or code). */
export function phoneKey(value: unknown, country?: unknown): TPhoneKey | undefined {
  if (typeof value !== "string" || value.length > 64) return undefined;

  const text = value.trim().replace(EXTENSION, "");
  let digits = text.replace(/\D/g, "");
  const typedInternational = text.startsWith("+") || digits.startsWith("00");
  if (digits.startsWith("00")) digits = digits.slice(2);

  const key = typedInternational
    ? { digits, international: true }
    : nationalToInternational(digits, country);

  return key.digits.length >= MIN_DIGITS && key.digits.length <= MAX_DIGITS ? key : undefined;
}

/** The identity key: digits only (E.164 without the plus when the country is known). */
export function normalisePhone(value: unknown, country?: unknown): string | undefined {
  return phoneKey(value, country)?.digits;
}

function nationalToInternational(digits: string, country: unknown): TPhoneKey {
  const code = callingCode(country);

  // North American Numbering Plan: ten digits, or eleven with the leading 1. Plex tenants in the
  // US and Canada rarely type a country code, so an unknown country with ten digits is NANP too.
  if (code === "1" || code === undefined) {
    const nanp = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
    const valid = nanp.length === 10 && /^[2-9]/.test(nanp);
    if (valid) return { digits: `1${nanp}`, international: true };
  }
  if (code === undefined || code === "1") return { digits, international: false };

  // Typed with the country code but without the plus ("49 89 1234567").
  if (!digits.startsWith("0") && digits.startsWith(code) && digits.length >= code.length + 9) {
    return { digits, international: true };
  }

  // Elsewhere a leading 0 is the trunk prefix, dropped once the country code is added.
  return { digits: `${code}${digits.replace(/^0/, "")}`, international: true };
}

/** What the PHONE merge field shows: international format with the plus, else the digits. */
export function displayPhone(key: TPhoneKey): string {
  return key.international ? `+${key.digits}` : key.digits;
}
