/**
 * Query parameters of the Plex Connect list endpoints: declared per endpoint with the published
 * names and types (specs/plex-connect.openapi.yaml; the contract test checks every one), parsed
 * and turned into a record filter. As on the real API (reference/plex-api.md §2.5), a parameter
 * that is not declared is silently ignored, so a misspelled filter returns the whole collection;
 * a declared one with a badly formatted value is a 400 ARGUMENT_INVALID (§2.3, §2.6).
 */
import { isUuid } from "../generator/id.codec.js";
import { fieldMs, type TRecord, type TWindow } from "../store/plant.store.js";

export type TParamType =
  "string" | "uuid" | "date-time" | "time" | "boolean" | "int" | "string[]" | "uuid[]";

/**
 * How a parameter filters: equals (scalar field), in (array parameter against a scalar or array
 * field), from/to (inclusive bound on a date or ordered field), ignored (published, validated, but
 * there is no field in the response to filter on: documented in the README).
 */
export type TParamRule = "equals" | "in" | "from" | "to" | "ignored";

export type TParamDef = { name: string; type: TParamType; rule: TParamRule; field: string };

export type TPlexError = { code: string; message: string };

/**
 * `param("modifiedDateBegin", "date-time")` → from on modifiedDate. Names ending in Begin/End
 * bound the field without the suffix; array parameters match with "in"; others with "equals".
 */
export function param(
  name: string,
  type: TParamType,
  override: Partial<TParamDef> = {},
): TParamDef {
  let rule: TParamRule = type.endsWith("[]") ? "in" : "equals";
  let field = name;
  const bound = /^(.*)(Begin|End)$/.exec(name);
  if (bound !== null && type !== "boolean") {
    rule = bound[2] === "Begin" ? "from" : "to";
    field = bound[1]!;
  }

  return { name, type, rule, field, ...override };
}

// YYYY-MM-DDThh:mm[:ss[.fffffff]]Z: UTC only, date-only and zone-less values are rejected (§2.3).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z$/;

/** Milliseconds of a Plex date-time parameter, or undefined when it is not in the format. */
export function parsePlexDateTime(value: string): number | undefined {
  const match = DATE_TIME.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s = "0", fraction = ""] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const date = new Date(ms);
  const consistent =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    date.getUTCHours() === Number(h) &&
    date.getUTCMinutes() === Number(mi) &&
    date.getUTCSeconds() === Number(s);
  if (!consistent) return undefined;

  return ms + Number(fraction.padEnd(3, "0").slice(0, 3));
}

type TParsedValue = string | number | boolean | string[];

export type TParsedQuery = {
  values: Map<string, TParsedValue>;
  errors: TPlexError[];
};

function firstValue(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (Array.isArray(raw) && typeof raw[0] === "string") return raw[0];

  return undefined;
}

function allValues(raw: unknown): string[] {
  if (typeof raw === "string") return [raw];
  if (Array.isArray(raw)) return raw.filter((value): value is string => typeof value === "string");

  return [];
}

function invalid(name: string, value: string, expected: string): TPlexError {
  return {
    code: "ARGUMENT_INVALID",
    message: `The value '${value}' is not valid for '${name}'. Expected ${expected}.`,
  };
}

/** Parses the declared parameters of `query`; undeclared ones are ignored on purpose. */
export function parseQuery(
  query: Record<string, unknown>,
  defs: readonly TParamDef[],
): TParsedQuery {
  const values = new Map<string, TParsedValue>();
  const errors: TPlexError[] = [];
  for (const def of defs) {
    // Parameter names are matched exactly: `modifieddatebegin` is as unknown as `updatedAfter`.
    const raw = query[def.name];
    if (raw === undefined) continue;
    if (def.type === "string[]" || def.type === "uuid[]") {
      const list = allValues(raw).filter((value) => value !== "");
      const bad = def.type === "uuid[]" ? list.find((value) => !isUuid(value)) : undefined;
      if (bad !== undefined) errors.push(invalid(def.name, bad, "a UUID"));
      else if (list.length > 0) values.set(def.name, list);
      continue;
    }
    const value = firstValue(raw);
    if (value === undefined || value === "") continue;
    const parsed = parseScalar(def, value);
    if (typeof parsed === "object") errors.push(parsed);
    else values.set(def.name, parsed);
  }

  return { values, errors };
}

function parseScalar(def: TParamDef, value: string): string | number | boolean | TPlexError {
  switch (def.type) {
    case "uuid":
      return isUuid(value) ? value.toLowerCase() : invalid(def.name, value, "a UUID");
    case "date-time": {
      const ms = parsePlexDateTime(value);
      return ms === undefined
        ? invalid(def.name, value, "a UTC date-time in the format YYYY-MM-DDThh:mm:ss.fffffffZ")
        : ms;
    }
    case "boolean":
      if (value === "true" || value === "false") return value === "true";
      return invalid(def.name, value, "true or false");
    case "int":
      return /^-?\d{1,10}$/.test(value) ? Number(value) : invalid(def.name, value, "an integer");
    case "time":
      return /^\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/.test(value)
        ? value
        : invalid(def.name, value, "a time hh:mm:ss");
    default:
      return value;
  }
}

function sameText(left: unknown, right: string): boolean {
  // Plex compares text case-insensitively (SQL Server collation) [UNCONFIRMED]; see README.
  return typeof left === "string" && left.toLowerCase() === right.toLowerCase();
}

function equalsValue(fieldValue: unknown, wanted: TParsedValue): boolean {
  if (typeof wanted === "string") {
    if (Array.isArray(fieldValue)) return fieldValue.some((item) => sameText(item, wanted));
    return sameText(fieldValue, wanted);
  }
  // AR invoices take `paid` as an int32 filter while the field is a boolean (spec as published).
  if (typeof wanted === "number" && typeof fieldValue === "boolean") {
    return fieldValue === (wanted !== 0);
  }

  return fieldValue === wanted;
}

function compare(fieldValue: unknown, bound: TParsedValue, type: TParamType): number | undefined {
  if (type === "date-time") {
    if (typeof fieldValue !== "string") return undefined;
    const ms = Date.parse(fieldValue);
    return Number.isNaN(ms) ? undefined : ms - Number(bound);
  }
  if (typeof fieldValue !== "string") return undefined;

  return fieldValue.localeCompare(String(bound));
}

/** The record filter for the parsed parameters. */
export function buildMatcher(
  defs: readonly TParamDef[],
  parsed: TParsedQuery,
): (record: TRecord) => boolean {
  const active = defs.filter((def) => parsed.values.has(def.name) && def.rule !== "ignored");

  return (record) => {
    for (const def of active) {
      const wanted = parsed.values.get(def.name)!;
      const fieldValue = record[def.field];
      if (def.rule === "equals" && !equalsValue(fieldValue, wanted)) return false;
      if (def.rule === "in") {
        const list = wanted as string[];
        const values = Array.isArray(fieldValue) ? fieldValue : [fieldValue];
        if (!values.some((value) => list.some((item) => sameText(value, item)))) return false;
      }
      if (def.rule === "from" || def.rule === "to") {
        const diff = compare(fieldValue, wanted, def.type);
        if (diff === undefined) return false;
        if (def.rule === "from" && diff < 0) return false;
        if (def.rule === "to" && diff > 0) return false;
      }
    }

    return true;
  };
}

/** The window on `field` given by the parsed from/to parameters, if any. */
export function windowOn(
  defs: readonly TParamDef[],
  parsed: TParsedQuery,
  field: string,
): TWindow | undefined {
  let window: TWindow | undefined;
  for (const def of defs) {
    if (def.field !== field || def.type !== "date-time" || !parsed.values.has(def.name)) continue;
    window ??= { field };
    if (def.rule === "from") window.beginMs = Number(parsed.values.get(def.name));
    if (def.rule === "to") window.endMs = Number(parsed.values.get(def.name));
  }

  return window;
}

export { fieldMs };
