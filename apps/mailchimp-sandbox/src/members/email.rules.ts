/**
 * Which addresses Mailchimp refuses. Syntax errors get "Please provide a valid email address."
 * and a bad domain "The domain portion of the email address is invalid"; addresses that look
 * made up get "<email> looks fake or invalid, please enter a real email address."
 * (reference/mailchimp-api.md §3.5). Mailchimp does not publish its heuristic; the rules below
 * reproduce the reported cases (fooboo@example.com, test@example.com, a@b.com, foo@bar.com,
 * yopmail and trash-mail domains, gmail.vom typos) and are listed in the README.
 */
import { ApiProblem, problems } from "../http/api-problem.js";

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Reserved for documentation and testing (RFC 2606) or well-known throwaway domains. */
const FAKE_DOMAINS = new Set([
  "example.com",
  "example.net",
  "example.org",
  "test.com",
  "bar.com",
  "b.com",
  "domain.com",
  "email.com",
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
]);

/** Misspellings of webmail domains that cannot receive mail (gmail.vom was recorded). */
const TYPO_DOMAINS = new Set([
  "gmail.vom",
  "gmail.con",
  "gmail.co",
  "gmial.com",
  "gmai.com",
  "hotmial.com",
  "hotmail.con",
  "yaho.com",
  "yahoo.con",
  "outlok.com",
]);

const RESERVED_TLDS = new Set(["test", "example", "invalid", "localhost", "local"]);

/** Local parts people type when they do not want to give an address. */
const FAKE_LOCAL_PARTS = new Set([
  "test",
  "testing",
  "fake",
  "asdf",
  "qwerty",
  "foo",
  "fooboo",
  "foobar",
  "noemail",
  "no-email",
  "none",
  "null",
  "nobody",
  "noreply",
  "no-reply",
  "abc",
  "xxx",
  "a",
  "aaa",
]);

const WEBMAIL = new Set(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com"]);

export type TEmailRules = { rejectFakeEmails: boolean; extraFakeDomains: string[] };

/** Returns the problem Mailchimp would answer for this address, or undefined if it is accepted. */
export function emailProblem(email: unknown, rules: TEmailRules): ApiProblem | undefined {
  if (typeof email !== "string" || email.length === 0 || email.length > 254) {
    return problems.invalidEmail();
  }
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1 || email.indexOf("@") !== at) {
    return problems.invalidEmail();
  }
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return problems.invalidEmail();

  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (
    labels.length < 2 ||
    !labels.every((label) => DOMAIN_LABEL.test(label)) ||
    !/^[a-z]{2,}$/.test(tld)
  ) {
    return problems.invalidEmailDomain(domain);
  }

  if (rules.rejectFakeEmails && looksFake(local.toLowerCase(), domain, labels, rules)) {
    return problems.fakeEmail(email);
  }

  return undefined;
}

function looksFake(local: string, domain: string, labels: string[], rules: TEmailRules): boolean {
  const tld = labels[labels.length - 1] ?? "";
  if (RESERVED_TLDS.has(tld)) return true;
  if (FAKE_DOMAINS.has(domain) || TYPO_DOMAINS.has(domain)) return true;
  if (rules.extraFakeDomains.some((fake) => fake.toLowerCase() === domain)) return true;
  if (labels.some((label) => label === "example")) return true;
  if (FAKE_LOCAL_PARTS.has(local)) return true;
  // Very short throwaways at webmail providers ("alex@gmail.com" was reported rejected).
  if (WEBMAIL.has(domain) && local.length <= 4) return true;

  return false;
}
