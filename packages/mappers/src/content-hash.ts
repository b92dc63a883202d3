/**
 * A stable fingerprint of a mapped output, so an unchanged customer or order is not sent again
 * (DESIGN.md "Guarantees": content hashes make redelivery harmless). The hash is SHA-256 over a
 * canonical JSON: object keys sorted at every level, `undefined` members left out (as JSON does),
 * non-finite numbers as null and -0 as 0, so two equal values always hash alike, whatever order
 * their keys were built in.
 */
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, new WeakSet()));
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function canonical(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : null;
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  // A cycle cannot come out of a mapper; it is marked rather than recursed into forever.
  if (seen.has(value)) return "[circular]";
  seen.add(value);

  let result: unknown;
  if (Array.isArray(value)) {
    result = value.map((item) => (item === undefined ? null : canonical(item, seen)));
  } else {
    const keys = Object.keys(value).sort();
    const sorted: Record<string, unknown> = {};
    for (const key of keys) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined && typeof member !== "function") {
        sorted[key] = canonical(member, seen);
      }
    }
    result = sorted;
  }
  seen.delete(value);

  return result;
}
