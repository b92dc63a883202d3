/**
 * Which Plex e-mail addresses become Mailchimp members. Mailchimp refuses two kinds of address
 * with a 400 (reference mailchimp-api.md §3.5): syntactically invalid ones, and ones that "look
 * fake or invalid" by its own unpublished heuristic (recorded cases: fooboo@example.com,
 * alex@gmail.com, yopmail and trash-mail domains). Sending them wastes a call and, in a batch,
 * surfaces as a per-member error far from its cause, so the mapper rejects them up front with a
 * reason. The rules, each with its source, are listed in the package README ("E-mail rules");
 * Mailchimp's heuristic is wider than this list, so the writer must still treat its "looks fake"
 * answer as a permanent rejection.
 */
import { cleanText } from "./text.normalizer.js";

export type TEmailCheck =
  | { ok: true; email: string }
  | { ok: false; code: "EMAIL_MISSING" | "EMAIL_INVALID" | "EMAIL_PLACEHOLDER"; problem: string };

/** RFC 5321: a path is at most 256 octets including the angle brackets, a local part 64. */
const MAX_EMAIL = 254;
const MAX_LOCAL = 64;

/** RFC 5322 dot-atom text, ASCII only (Mailchimp does not take internationalised mailboxes). */
const LOCAL_ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Mailbox names people type when they have no address to give, or that read no mail. */
const PLACEHOLDER_LOCAL_PARTS = new Set([
  "none",
  "noemail",
  "no-email",
  "no.email",
  "no_email",
  "nomail",
  "no-mail",
  "na",
  "n.a",
  "n-a",
  "null",
  "nil",
  "unknown",
  "test",
  "testing",
  "fake",
  "dummy",
  "asdf",
  "qwerty",
  "xxx",
  "foo",
  "fooboo",
  "foobar",
  "noreply",
  "no-reply",
  "donotreply",
  "do-not-reply",
]);

/**
 * Domains that receive no real mail: placeholders people type and throwaway inboxes (yopmail and
 * trash-mail are named in the recorded Mailchimp rejections, §3.5).
 */
const PLACEHOLDER_DOMAINS = new Set([
  "none.com",
  "noemail.com",
  "nomail.com",
  "test.com",
  "fake.com",
  "domain.com",
  "mailinator.com",
  "yopmail.com",
  "trash-mail.com",
  "trashmail.com",
  "guerrillamail.com",
  "sharklasers.com",
  "10minutemail.com",
  "tempmail.com",
  "temp-mail.org",
  "throwawaymail.com",
  "dispostable.com",
  "fakeinbox.com",
  "maildrop.cc",
]);

/** RFC 2606 and RFC 6761 reserve these top-level names for tests and documentation. */
const RESERVED_TLDS = new Set(["test", "example", "invalid", "localhost", "local"]);

/** Misspelt webmail domains: syntactically fine, but nobody receives mail there. */
const MISSPELT_DOMAINS = new Set([
  "gmail.con",
  "gmail.vom",
  "gmail.cm",
  "gmial.com",
  "gmai.com",
  "hotmail.con",
  "hotmial.com",
  "yahoo.con",
  "yaho.com",
  "outlok.com",
]);

/** Lower-cased and trimmed, the form the subscriber hash is computed from; "" when absent. */
export function normaliseEmail(value: unknown): string {
  if (typeof value !== "string") return "";

  return value.slice(0, 1024).trim().toLowerCase();
}

export function checkEmail(value: unknown): TEmailCheck {
  const email = normaliseEmail(value);
  if (email === "") return { ok: false, code: "EMAIL_MISSING", problem: "no address" };

  const at = email.indexOf("@");
  const local = at < 0 ? email : email.slice(0, at);
  if (PLACEHOLDER_LOCAL_PARTS.has(local)) {
    return { ok: false, code: "EMAIL_PLACEHOLDER", problem: `"${local}" is a placeholder name` };
  }

  const syntax = syntaxProblem(email);
  if (syntax !== undefined) return { ok: false, code: "EMAIL_INVALID", problem: syntax };

  const domain = email.slice(at + 1);
  if (MISSPELT_DOMAINS.has(domain)) {
    return { ok: false, code: "EMAIL_INVALID", problem: "the domain is a misspelt webmail domain" };
  }
  const placeholder = domainPlaceholderProblem(domain);
  if (placeholder !== undefined) {
    return { ok: false, code: "EMAIL_PLACEHOLDER", problem: placeholder };
  }

  return { ok: true, email };
}

function syntaxProblem(email: string): string | undefined {
  if (email.length > MAX_EMAIL) return `longer than ${MAX_EMAIL} characters`;
  if (/\s/.test(email)) return "contains a space";
  if (/[^\u0021-\u007e]/.test(email)) return "contains characters outside plain ASCII";

  const parts = email.split("@");
  if (parts.length === 1) return "has no @";
  if (parts.length > 2) return "has more than one @";

  const [local = "", domain = ""] = parts;
  if (local === "") return "has nothing before the @";
  if (local.length > MAX_LOCAL) return `the part before the @ is longer than ${MAX_LOCAL}`;
  if (!local.split(".").every((atom) => LOCAL_ATOM.test(atom))) {
    return "the part before the @ has characters or dots an address cannot have";
  }

  if (domain === "") return "has no domain";
  const labels = domain.split(".");
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return "the domain is malformed";
  if (labels.length < 2) return "the domain has no top-level domain such as .com";
  if (!TLD.test(labels[labels.length - 1] ?? "")) return "the top-level domain is malformed";

  return undefined;
}

function domainPlaceholderProblem(domain: string): string | undefined {
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (RESERVED_TLDS.has(tld)) return `".${tld}" is reserved for tests and documentation`;
  if (labels.includes("example")) return "example domains are reserved for documentation";
  if (PLACEHOLDER_DOMAINS.has(domain)) return `${domain} is a placeholder or throwaway domain`;

  return undefined;
}

/**
 * The address as an operator may see it: first letter of the mailbox and the domain
 * (j***@example.com). A one-letter mailbox shows no letter at all, so the mask never equals the
 * address.
 */
export function maskEmail(value: unknown): string {
  const text = cleanText(value, 320) ?? "";
  const at = text.lastIndexOf("@");
  const local = at < 0 ? text : text.slice(0, at);
  const first = Array.from(local)[0] ?? "";
  const shown = Array.from(local).length >= 2 ? first : "";
  if (at < 0) return `${shown}***`;

  const domain = Array.from(text.slice(at + 1))
    .slice(0, 60)
    .join("");

  return `${shown}***@${domain}`;
}
