/**
 * X-Mandrill-Signature: base64 of HMAC-SHA1, keyed with the webhook's auth key, over the webhook
 * URL exactly as registered followed by each POST field's name and value, fields sorted by name,
 * no delimiters ([MANDRILL] "How to Authenticate Webhook Requests", reference §5.2 (b)).
 */
import { createHmac } from "node:crypto";

export function mandrillSignature(
  key: string,
  url: string,
  fields: Record<string, string>,
): string {
  let signed = url;
  for (const name of Object.keys(fields).sort()) signed += `${name}${fields[name]}`;

  return createHmac("sha1", key).update(signed, "utf8").digest("base64");
}
