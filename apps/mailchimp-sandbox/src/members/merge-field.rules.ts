/**
 * Merge-field values by type (reference/mailchimp-api.md §3.3). Failures are answered as
 * Mailchimp does: 400 "Your merge fields were invalid." with `errors[] {field: TAG, message}`;
 * "Please enter a value", "Please enter a number" and "Please enter a complete address" are
 * recorded answers, the other messages are the sandbox's wording (README). Unknown tags are
 * ignored, as a recorded PUT with an unknown tag shows (grouparoo fixtures). An address must have
 * addr1, city, state and zip; `""` clears a value.
 */
import type { TFieldError } from "../http/api-problem.js";
import type { TAddressValue, TMergeField, TMergeValue } from "../state/audience.model.js";

export type TMergeOutcome = {
  values: Record<string, TMergeValue>;
  /** JSON-schema level failures, answered with the generic "Invalid Resource" detail. */
  schemaErrors: TFieldError[];
  /** Value failures, answered with "Your merge fields were invalid." */
  errors: TFieldError[];
};

/** Recorded for null/object values, addresses missing keys (OperationCode#692, mc-magento#497). */
const ANY_OF = "Data did not match any of the schemas described in anyOf.";
const ADDRESS_KEYS = ["addr1", "city", "state", "zip"];

/** Mailchimp help: each address line must be fewer than 45 characters (§3.3). */
const MAX_ADDRESS_LINE = 45;
/** `options.size` is the form field width; the stored text is capped at 255 characters. */
const MAX_TEXT_LENGTH = 255;

/**
 * Applies `input` over `current` for the list's fields. `isNew` makes required fields mandatory
 * unless `skipMergeValidation` is set (the `skip_merge_validation` query parameter).
 */
export function applyMergeFields(
  fields: TMergeField[],
  current: Record<string, TMergeValue>,
  input: Record<string, unknown> | undefined,
  options: { isNew: boolean; skipMergeValidation: boolean },
): TMergeOutcome {
  const values: Record<string, TMergeValue> = { ...current };
  const errors: TFieldError[] = [];
  const schemaErrors: TFieldError[] = [];
  const given = input ?? {};

  for (const field of fields) {
    if (!(field.tag in given)) continue;
    if (!matchesSchema(field, given[field.tag])) {
      schemaErrors.push({ field: `merge_fields.${field.tag}`, message: ANY_OF });
      continue;
    }
    const result = normalizeValue(field, given[field.tag]);
    if ("error" in result) {
      errors.push({ field: field.tag, message: result.error });
      continue;
    }
    values[field.tag] = result.value;
  }

  if (!options.skipMergeValidation) {
    for (const field of fields) {
      if (!field.required) continue;
      const value = values[field.tag];
      const missing = value === undefined || value === "";
      const touched = field.tag in given || options.isNew;
      if (missing && touched && !errors.some((error) => error.field === field.tag)) {
        errors.push({ field: field.tag, message: "Please enter a value" });
      }
    }
  }

  return { values, schemaErrors, errors };
}

/** Mailchimp's member schema allows a string or number, or an address object with its keys. */
function matchesSchema(field: TMergeField, raw: unknown): boolean {
  if (typeof raw === "string" || typeof raw === "number")
    return field.type !== "address" || raw === "";
  if (field.type !== "address" || typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return false;
  }

  return ADDRESS_KEYS.every((key) => key in raw);
}

type TNormalized = { value: TMergeValue } | { error: string };

function normalizeValue(field: TMergeField, raw: unknown): TNormalized {
  if (raw === "") return { value: "" };

  switch (field.type) {
    case "number":
      return numberValue(raw);
    case "address":
      return addressValue(raw);
    case "date":
      return dateValue(raw, field.options.date_format ?? "MM/DD/YYYY");
    case "birthday":
      return birthdayValue(raw, field.options.date_format ?? "MM/DD");
    case "phone":
      return phoneValue(raw, field.options.phone_format ?? "none");
    case "url":
    case "imageurl":
      return urlValue(raw);
    case "radio":
    case "dropdown":
      return choiceValue(raw, field.options.choices ?? []);
    case "zip":
      return typeof raw === "string" && /^\d{5}(-\d{4})?$/.test(raw)
        ? { value: raw }
        : { error: "Please enter a valid zip code" };
    case "text":
      return textValue(raw, MAX_TEXT_LENGTH);
  }
}

function textValue(raw: unknown, size: number): TNormalized {
  // Booleans must be sent as strings (Grouparoo exportProfile.ts, §3.3).
  if (typeof raw === "number") return { value: String(raw) };
  if (typeof raw !== "string") return { error: "Please enter a value as text" };
  if (raw.length > size) return { error: `Please enter a value of ${size} characters or fewer` };

  return { value: raw };
}

function numberValue(raw: unknown): TNormalized {
  if (typeof raw === "number" && Number.isFinite(raw)) return { value: raw };
  if (typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim())) {
    return { value: Number(raw.trim()) };
  }

  return { error: "Please enter a number" };
}

function addressValue(raw: unknown): TNormalized {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { error: "Please enter a complete address" };
  }
  const input = raw as Record<string, unknown>;
  const line = (key: keyof TAddressValue): string =>
    typeof input[key] === "string" ? input[key] : "";

  const address: TAddressValue = {
    addr1: line("addr1"),
    addr2: line("addr2"),
    city: line("city"),
    state: line("state"),
    zip: line("zip"),
    country: line("country") || "US",
  };
  const complete = address.addr1 !== "" && address.city !== "" && address.state !== "";
  if (!complete || address.zip === "") return { error: "Please enter a complete address" };
  if (Object.values(address).some((value) => value.length >= MAX_ADDRESS_LINE)) {
    return { error: `Each address line must be fewer than ${MAX_ADDRESS_LINE} characters` };
  }

  return { value: address };
}

/** Accepts ISO dates and the field's own format; stores ISO (YYYY-MM-DD). */
function dateValue(raw: unknown, format: string): TNormalized {
  if (typeof raw !== "string") return { error: "Please enter a valid date" };
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const slashed = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(raw);
  let year: number;
  let month: number;
  let day: number;
  if (iso !== null) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (slashed !== null) {
    const dayFirst = format.toUpperCase().startsWith("DD");
    year = Number(slashed[3]);
    month = Number(dayFirst ? slashed[2] : slashed[1]);
    day = Number(dayFirst ? slashed[1] : slashed[2]);
  } else {
    return { error: "Please enter a valid date" };
  }
  if (!validDay(year, month, day)) return { error: "Please enter a valid date" };

  return { value: `${year}-${pad(month)}-${pad(day)}` };
}

function birthdayValue(raw: unknown, format: string): TNormalized {
  if (typeof raw !== "string") return { error: "Please enter a valid date" };
  const match = /^(\d{2})\/(\d{2})$/.exec(raw);
  if (match === null) return { error: "Please enter a valid date" };
  const dayFirst = format.toUpperCase().startsWith("DD");
  const month = Number(dayFirst ? match[2] : match[1]);
  const day = Number(dayFirst ? match[1] : match[2]);
  // 2000 is a leap year, so 02/29 is a valid birthday.
  if (!validDay(2000, month, day)) return { error: "Please enter a valid date" };

  return { value: raw };
}

function phoneValue(raw: unknown, format: string): TNormalized {
  if (typeof raw !== "string" && typeof raw !== "number") {
    return { error: "Please enter a valid phone number" };
  }
  const text = String(raw);
  if (format.toUpperCase() === "US" && text.replace(/\D/g, "").length !== 10) {
    return { error: "Please enter a valid US phone number" };
  }
  if (!/^[+()\d\s.-]{3,30}$/.test(text)) return { error: "Please enter a valid phone number" };

  return { value: text };
}

function urlValue(raw: unknown): TNormalized {
  if (typeof raw !== "string" || !/^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(raw)) {
    return { error: "Please enter a valid URL" };
  }

  return { value: raw };
}

function choiceValue(raw: unknown, choices: string[]): TNormalized {
  if (typeof raw !== "string" || !choices.includes(raw)) {
    return { error: `Please choose one of: ${choices.join(", ")}` };
  }

  return { value: raw };
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();

  return day <= days;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** The value a member shows for a field never set: "" (recorded GET responses). */
export function emptyMergeValues(fields: TMergeField[]): Record<string, TMergeValue> {
  const values: Record<string, TMergeValue> = {};
  for (const field of fields) values[field.tag] = field.default_value ?? "";

  return values;
}
