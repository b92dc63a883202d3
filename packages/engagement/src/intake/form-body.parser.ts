/**
 * Form bodies (`application/x-www-form-urlencoded`) of webhook deliveries, read strictly. Mailchimp
 * sends PHP-style nested keys (`data[merges][FNAME]`, `data[merges][ADDRESS][addr1]`), so the
 * nesting is parsed with `qs` (reference mailchimp-api.md §5.1: "do not use a flat URLSearchParams
 * map"). Before qs sees the text, every pair is decoded once by hand: qs quietly keeps a broken
 * percent-escape as literal text, and a value Postgres cannot store (NUL, a lone surrogate) must be
 * refused here with a 400 rather than fail the shared inbox insert later.
 */
import qs from "qs";

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
export type TFormTree = { [key: string]: string | string[] | TFormTree };

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

/**
 * The nested form tree. Repeated names become arrays (which no schema accepts, so they end as
 * 400); deeper nesting than `maxDepth` is refused instead of being flattened silently.
 */
export function parseNestedForm(body: string, limits: TFormLimits = DEFAULT_FORM_LIMITS) {
  decodeFormPairs(body, limits);
  try {
    return qs.parse(body, {
      depth: limits.maxDepth,
      strictDepth: true,
      parameterLimit: limits.maxPairs,
      throwOnLimitExceeded: true,
      allowPrototypes: false,
      plainObjects: true,
      parseArrays: false,
      allowDots: false,
      duplicates: "combine",
      charset: "utf-8",
    }) as TFormTree;
  } catch (err) {
    const reason = err instanceof Error ? err.message : "unreadable";
    throw new WebhookInputError(400, `the form body cannot be parsed: ${reason.slice(0, 120)}`);
  }
}
