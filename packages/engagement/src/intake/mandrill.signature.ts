/**
 * X-Mandrill-Signature (reference mailchimp-api.md §5.2 (b), [MANDRILL] "How to Authenticate
 * Webhook Requests"): the webhook URL exactly as registered, then each POST field's name and value
 * (decoded) in name order with no delimiter; HMAC-SHA1 with the webhook's key; base64 of the
 * binary digest. Compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export function mandrillSignature(key: string, url: string, fields: [string, string][]): string {
  const hmac = createHmac("sha1", key);
  hmac.update(url, "utf8");
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of sorted) {
    hmac.update(name, "utf8");
    hmac.update(value, "utf8");
  }

  return hmac.digest("base64");
}

/** Constant-time equality of two strings of any length (both sides hashed first). */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();

  return timingSafeEqual(a, b);
}

export function verifyMandrillSignature(
  key: string,
  url: string,
  fields: [string, string][],
  header: string | undefined,
): boolean {
  if (header === undefined || header === "") return false;

  return constantTimeEqual(header, mandrillSignature(key, url, fields));
}
