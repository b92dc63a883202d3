/**
 * Form bodies (`application/x-www-form-urlencoded`) of webhook deliveries, read strictly. Mailchimp
 * sends PHP-style nested keys (`data[merges][FNAME]`, `data[merges][ADDRESS][addr1]`), so names
 * are parsed bracket by bracket (reference mailchimp-api.md §5.1: "do not use a flat
 * URLSearchParams map"). Every pair is decoded once, strictly: a broken percent-escape is a 400
 * (general-purpose parsers such as qs keep it as literal text), and so is a value Postgres cannot
 * store (NUL, a lone surrogate), rather than failing the shared inbox insert later. A small
 * parser of our own instead of qs: it refuses what qs would guess at, and it is the hot path of
 * the receiver (one decode pass instead of two; see apps/webhook-receiver README, benchmark).
 */
import { WebhookInputError } from "./webhook-input.error.js";

export type TFormLimits = {
  /** Pairs in one body. Mailchimp's richest event (subscribe with an address) has about 25. */
  maxPairs: number;
  /** Bracket depth: data[merges][ADDRESS][addr1] is 3. */
  maxDepth: number;
  maxKeyLength: number;
};

export const DEFAULT_FORM_LIMITS: TFormLimits = { maxPairs: 300, maxDepth: 4, maxKeyLength: 200 };

/** A tree of form values: strings, or nested groups of them. */
export type TFormTree = { [key: string]: string | TFormTree };

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    throw new WebhookInputError(400, "the form body has a malformed percent-encoding");
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text Postgres can store in a jsonb document: no NUL, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}

/** The body's name/value pairs, decoded, in order; empty segments (`a=1&&b=2`) are skipped. */
export function decodeFormPairs(body: string, limits: TFormLimits = DEFAULT_FORM_LIMITS) {
  const pairs: [string, string][] = [];
  for (const segment of body.split("&")) {
    if (segment === "") continue;
    if (pairs.length >= limits.maxPairs) {
      throw new WebhookInputError(400, `the form body has more than ${limits.maxPairs} fields`);
    }
    const equals = segment.indexOf("=");
    const rawKey = equals === -1 ? segment : segment.slice(0, equals);
    const rawValue = equals === -1 ? "" : segment.slice(equals + 1);
    const key = decodeComponent(rawKey);
    const value = decodeComponent(rawValue);
    if (key === "" || key.length > limits.maxKeyLength) {
      throw new WebhookInputError(400, "the form body has an empty or overlong field name");
    }
    if (!isStorableText(key) || !isStorableText(value)) {
      throw new WebhookInputError(400, "the form body has characters that cannot be stored");
    }
    pairs.push([key, value]);
  }

  return pairs;
}

const SEGMENTS = /^([^[\]]+)((?:\[[^[\]]+\])*)$/;
const BRACKETED = /\[([^[\]]+)\]/g;
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

export type TParsedForm = {
  /** Decoded name/value pairs, as sent. */
  pairs: [string, string][];
  /** The nested tree: `data[merges][FNAME]=Ada` → { data: { merges: { FNAME: "Ada" } } }. */
  tree: TFormTree;
};

/**
 * The nested form tree, built from the strictly decoded pairs. PHP-style names only: `name` or
 * `name[key][key]…`, at most `maxDepth` brackets. Anything a PHP-style reader would have to guess
 * at — empty brackets (`a[]`, arrays), a repeated name, a name used both as a value and as a
 * group, prototype names — is refused with 400 rather than resolved silently.
 */
export function parseNestedForm(
  body: string,
  limits: TFormLimits = DEFAULT_FORM_LIMITS,
): TParsedForm {
  const pairs = decodeFormPairs(body, limits);
  const tree: TFormTree = {};
  for (const [name, value] of pairs) {
    const match = SEGMENTS.exec(name);
    if (match === null) throw new WebhookInputError(400, "a form field name is not PHP-style");
    const path = [match[1]!, ...[...match[2]!.matchAll(BRACKETED)].map((part) => part[1]!)];
    if (path.length - 1 > limits.maxDepth) {
      throw new WebhookInputError(400, `a form field is nested deeper than ${limits.maxDepth}`);
    }
    let node = tree;
    for (let index = 0; index < path.length; index += 1) {
      const key = path[index]!;
      if (FORBIDDEN_NAMES.has(key))
        throw new WebhookInputError(400, "a form field name is reserved");
      const existing = node[key];
      if (index === path.length - 1) {
        if (existing !== undefined) throw new WebhookInputError(400, "a form field is repeated");
        node[key] = value;
        break;
      }
      if (typeof existing === "string") {
        throw new WebhookInputError(400, "a form field is both a value and a group");
      }
      if (existing === undefined) node[key] = {};
      node = node[key] as TFormTree;
    }
  }

  return { pairs, tree };
}
