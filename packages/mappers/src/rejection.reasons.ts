/**
 * The sentences rejections carry. They name the record the way an operator finds it in Plex
 * (customer code, else id) and show e-mail addresses masked (j***@example.com), never in full:
 * rejection reasons end up in the audit trail and in logs (STYLE.md "Logging").
 */
import type { TPlexCustomer } from "@ml-connector/plex-client";

import { maskEmail, type TEmailCheck } from "./email.rules.js";
import { cleanText } from "./text.normalizer.js";

/** Who the customer is in a reason: its code when it has one, else its Plex id. */
export function customerLabel(customer: TPlexCustomer): string {
  const code = cleanText(customer.code, 60);
  const id = cleanText(customer.id, 60) ?? "(no id)";

  return code === undefined ? `customer ${id}` : `customer ${code}`;
}

export function emailReason(subject: string, raw: unknown, check: TEmailCheck): string {
  if (check.ok) return "";
  if (check.code === "EMAIL_MISSING") return `${subject} has no e-mail address`;
  if (check.code === "EMAIL_PLACEHOLDER") {
    return (
      `${subject} has e-mail ${maskEmail(raw)}, which looks like a placeholder ` +
      `(${check.problem}); Mailchimp refuses such addresses as fake`
    );
  }

  return `${subject} has e-mail ${maskEmail(raw)}, which is not a valid address (${check.problem})`;
}
