/**
 * Memory per record is bounded: a member, customer, product or order larger than the configured
 * size as JSON is refused with a 400 instead of being stored. Mailchimp has its own per-field
 * limits; this bound only keeps one bad client from growing the sandbox without limit.
 */
import { problems } from "../http/api-problem.js";

export function recordBytes(record: unknown): number {
  return JSON.stringify(record, (_key, value: unknown) =>
    value instanceof Map ? [...value.values()] : value instanceof Set ? [...value] : value,
  ).length;
}

export function assertRecordSize(record: unknown, maxBytes: number): void {
  const bytes = recordBytes(record);
  if (bytes > maxBytes) {
    throw problems.invalidResourceDetail(
      `The resource is ${bytes} bytes as JSON; the sandbox stores at most ${maxBytes} per record.`,
    );
  }
}
