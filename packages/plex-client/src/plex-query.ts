/**
 * Query strings for Plex Connect: only parameter names the spec publishes for the path (Plex
 * silently ignores anything else, so a typo would pull the whole table — reference §2.5), arrays
 * as repeated parameters (§2.3), and dates as UTC ISO strings with the trailing Z Plex demands.
 */
import allowList from "./plex-query-params.generated.json" with { type: "json" };

export type TQueryValue = string | number | boolean | Date | (string | number)[] | undefined;
export type TPlexQuery = Record<string, TQueryValue>;

const ALLOWED = allowList as Record<string, string[]>;

export class UnknownPlexParameterError extends Error {
  constructor(path: string, names: string[]) {
    super(
      `Plex ${path} does not take ${names.join(", ")}: Plex would ignore it and return all rows`,
    );
    this.name = "UnknownPlexParameterError";
  }
}

/** Plex's date-time format: UTC, "T" separator, trailing "Z" (§2.3). */
export function toPlexDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("invalid date given for a Plex filter");

  return date.toISOString();
}

export function buildPlexQuery(pathTemplate: string, query: TPlexQuery = {}): URLSearchParams {
  const allowed = ALLOWED[pathTemplate];
  if (allowed === undefined)
    throw new Error(`no parameter allow-list for Plex path ${pathTemplate}`);

  const unknown = Object.keys(query).filter(
    (name) => query[name] !== undefined && !allowed.includes(name),
  );
  if (unknown.length > 0) throw new UnknownPlexParameterError(pathTemplate, unknown);

  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(name, String(item));
    } else if (value instanceof Date) {
      params.append(name, toPlexDateTime(value));
    } else {
      params.append(name, String(value));
    }
  }

  return params;
}
