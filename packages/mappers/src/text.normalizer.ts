/**
 * Turning whatever Plex holds in a text or date column into something Mailchimp accepts:
 * trimmed, well-formed Unicode without control characters, bounded in length; slugs in plain
 * lower-case ASCII for tag names; dates in the two shapes Mailchimp reads (RFC 3339 date-times
 * for e-commerce, YYYY-MM-DD for date merge fields). Every function takes `unknown` and answers
 * `undefined` for anything unusable, so a mapper never has to guard against null or odd types.
 */
import { createHash } from "node:crypto";

// Control characters break Mailchimp's rendering and CSV exports; lone surrogates make the
// request body invalid UTF-8.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b\u2028\u2029\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SPACES = /\s+/g;
/** Printable ASCII with single inner spaces and no outer ones needs no cleaning at all. */
const ALREADY_CLEAN = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** Longer input is cut before cleaning, so a megabyte-sized column costs no more than this. */
const MAX_SCAN = 4096;

/** A trimmed, single-line, well-formed string, or undefined when nothing is left. */
export function cleanText(value: unknown, maxLength = 255): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return cleanText(String(value));
  if (typeof value !== "string") return undefined;
  if (value.length <= maxLength && ALREADY_CLEAN.test(value)) return value;

  const cleaned = value
    .slice(0, MAX_SCAN)
    .replace(LONE_SURROGATE, "")
    .normalize("NFC")
    .replace(CONTROL, " ")
    .replace(SPACES, " ")
    .trim();
  if (cleaned === "") return undefined;

  return truncate(cleaned, maxLength);
}

/** Cuts at a code-point boundary, so a surrogate pair is never split in half. */
export function truncate(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  const codePoints = Array.from(value.slice(0, maxLength + 1));
  let result = "";
  for (const point of codePoints) {
    if (result.length + point.length > maxLength) break;
    result += point;
  }

  return result.trimEnd();
}

/** Letters NFKD does not decompose into an ASCII base letter. */
const TRANSLITERATION: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
  "&": " and ",
};

/**
 * A tag-safe slug: lower-case ASCII letters, digits and single dashes, at most `maxLength`
 * characters. Text with no Latin letters at all (for example Chinese names) gets a short stable
 * hash instead, so two different values never share a slug and the same value always has one.
 */
export function slug(value: unknown, maxLength = 40): string | undefined {
  const text = cleanText(value, 200);
  if (text === undefined) return undefined;

  const ascii = text
    .toLowerCase()
    .replace(/[ßæœøđðłþı&]/g, (letter) => TRANSLITERATION[letter] ?? "")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (ascii === "") return `x${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;

  return ascii.slice(0, maxLength).replace(/-+$/, "");
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Years outside this range are sentinels ("9999-12-31") or typos, not real business dates. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

/**
 * Milliseconds since the epoch for a Plex date or date-time. Plex publishes UTC with a trailing Z
 * (reference plex-api.md §2, "Date/time format"); a value without a zone is read as UTC too.
 */
export function parsePlexDate(value: unknown): number | undefined {
  if (typeof value !== "string" || value.length > 64) return undefined;
  const match = DATE_TIME.exec(value.trim());
  if (match === null) return undefined;

  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone = "Z"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;

  const millis = Number(fraction.padEnd(3, "0").slice(0, 3));
  const local = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), millis);

  return local - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");

  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** RFC 3339 in UTC (what the spec's `date-time` fields take), or undefined. */
export function isoDateTime(value: unknown): string | undefined {
  const ms = parsePlexDate(value);

  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** YYYY-MM-DD (the value format of date merge fields), or undefined. */
export function isoDate(value: unknown): string | undefined {
  return isoDateTime(value)?.slice(0, 10);
}

/** A finite number, or undefined; numeric strings from loosely typed columns are accepted. */
export function finiteNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);

  return undefined;
}

/** Rounds money to cents without the binary noise of 0.1 + 0.2. */
export function roundMoney(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}
