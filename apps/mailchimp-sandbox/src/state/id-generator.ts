/**
 * Deterministic identifiers: the same seed gives the same list ids, web ids and unique email ids
 * run after run, so a failing test can be replayed. Shapes follow what Mailchimp hands out
 * (10-hex list and campaign ids, 32-hex contact ids, integer web ids).
 */
import { createHash } from "node:crypto";

export class IdGenerator {
  private counter = 0;
  private webId = 100_000;

  constructor(private readonly seed: string) {}

  hex(length: number): string {
    let out = "";
    while (out.length < length) {
      this.counter += 1;
      out += createHash("md5").update(`${this.seed}:${this.counter}`).digest("hex");
    }

    return out.slice(0, length);
  }

  nextWebId(): number {
    this.webId += 1;

    return this.webId;
  }
}

/** MD5 of the lower-cased address: Mailchimp's subscriber hash ([SPEC], §1 subscriber_hash). */
export function subscriberHash(email: string): string {
  return createHash("md5").update(email.toLowerCase()).digest("hex");
}
