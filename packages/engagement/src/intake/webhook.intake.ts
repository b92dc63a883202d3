/**
 * The receiver's decisions, independent of the HTTP framework: which connection a webhook is for,
 * whether its secret or signature is right, whether its body is a well-formed event, and storing
 * it in the inbox. Each answer follows the table in reference reliability-practice.md §1.3 and
 * DESIGN.md "Guarantees": unknown connection or wrong secret 404 (the route is not revealed),
 * deliberately deleted connection 410 (Mailchimp disables the webhook), bad Mandrill signature 401,
 * malformed 400, our own storage down 503 (the sender retries), stored or duplicate 200.
 */
import { createHash, timingSafeEqual } from "node:crypto";

import { contentHash } from "@ml-connector/mappers";
import type { Logger } from "@ml-connector/runtime";

import { DEFAULT_FORM_LIMITS, decodeFormPairs, parseNestedForm } from "./form-body.parser.js";
import {
  InboxRowRefusedError,
  InboxUnavailableError,
  type InboxWriter,
  type TInboxEntry,
} from "./inbox.writer.js";
import { checkListEvent } from "./mailchimp-event.schema.js";
import { mandrillEventType, parseMandrillEvents } from "./mandrill-event.schema.js";
import { verifyMandrillSignature } from "./mandrill.signature.js";
import type { TWebhookEndpoint, WebhookEndpointCache } from "./webhook-endpoint.cache.js";
import { WebhookInputError } from "./webhook-input.error.js";

export type TIntakeAnswer = {
  status: 200 | 400 | 401 | 404 | 405 | 410 | 413 | 415 | 503;
  body: Record<string, unknown>;
};

export type TWebhookIntakeDeps = {
  endpoints: WebhookEndpointCache;
  inbox: InboxWriter;
  /** Scheme, host and any path prefix under which senders reach this service (no trailing /). */
  publicUrl: string;
  log: Logger;
  /** Longest the answer may wait for the inbox; past it, 503 (Mailchimp gives up after 10 s). */
  storeTimeoutMs?: number;
};

/** Connection ids as ConnectionService makes them; anything else cannot exist. */
const CONNECTION_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

const NOT_FOUND: TIntakeAnswer = { status: 404, body: { error: "not found" } };
const GONE: TIntakeAnswer = { status: 410, body: { error: "this connection was removed" } };

export class WebhookIntake {
  constructor(private readonly deps: TWebhookIntakeDeps) {}

  /** Route check for Mailchimp: 404/410/503 when the request must stop here, else undefined. */
  async checkMailchimpRoute(
    connectionId: string,
    secret: string,
  ): Promise<TIntakeAnswer | undefined> {
    const endpoint = await this.endpoint(connectionId);
    if ("status" in endpoint) return endpoint;
    if (endpoint.secretDigest === undefined || !secretMatches(endpoint.secretDigest, secret)) {
      return NOT_FOUND;
    }

    return undefined;
  }

  /** Route check for Mandrill: the connection must exist and have a Mandrill key. */
  async checkMandrillRoute(connectionId: string): Promise<TIntakeAnswer | undefined> {
    const endpoint = await this.endpoint(connectionId);
    if ("status" in endpoint) return endpoint;

    return endpoint.mandrillKey === undefined ? NOT_FOUND : undefined;
  }

  /** A list-webhook POST whose route was checked; `body` is the decoded text. */
  async receiveMailchimp(connectionId: string, body: string): Promise<TIntakeAnswer> {
    // Mailchimp's URL check may be an empty POST instead of the GET (reference §5.1).
    if (body === "") return { status: 200, body: { status: "ok" } };

    return this.guard(async () => {
      const form = parseNestedForm(body, DEFAULT_FORM_LIMITS);
      const check = checkListEvent(form.tree);
      if (check.outcome === "ignored") {
        this.deps.log.info({ connectionId, eventType: check.type }, "webhook event type ignored");

        return { status: 200, body: { status: "ignored" } };
      }
      const entry: TInboxEntry = {
        connectionId,
        source: "mailchimp",
        // Mailchimp sends no delivery id: the normalized content is the identity of a delivery,
        // so a retry (same fields, in any order or percent-encoding) hits the unique key.
        contentKey: formContentKey(form.pairs),
        eventType: check.event.type,
        firedAt: check.firedAt,
        payload: check.event,
      };
      const [outcome] = await this.store([entry]);

      return { status: 200, body: { status: outcome!.duplicate ? "duplicate" : "stored" } };
    });
  }

  /** A Mandrill POST whose route was checked. `requestPath` is the path and query as received. */
  async receiveMandrill(
    connectionId: string,
    requestPath: string,
    body: string,
    signature: string | undefined,
  ): Promise<TIntakeAnswer> {
    return this.guard(async () => {
      const endpoint = await this.deps.endpoints.get(connectionId);
      const key = endpoint.mandrillKey;
      if (key === undefined) return NOT_FOUND;
      const pairs = decodeFormPairs(body, { ...DEFAULT_FORM_LIMITS, maxPairs: 20 });
      const url = `${this.deps.publicUrl}${requestPath}`;
      if (!verifyMandrillSignature(key, url, pairs, signature)) {
        this.deps.log.warn({ connectionId }, "mandrill webhook refused, signature does not match");

        return { status: 401, body: { error: "X-Mandrill-Signature does not match" } };
      }
      if (pairs.length === 0) return { status: 200, body: { status: "ok" } };
      const names = pairs.map(([name]) => name);
      if (new Set(names).size !== names.length) {
        throw new WebhookInputError(400, "a form field is repeated");
      }
      const field = pairs.find(([name]) => name === "mandrill_events")?.[1];
      if (field === undefined) throw new WebhookInputError(400, "mandrill_events is missing");

      const events = parseMandrillEvents(field);
      const outcomes = await this.store(
        events.map((event) => ({
          connectionId,
          source: "mandrill" as const,
          contentKey: contentHash({ source: "mandrill", event }),
          eventType: mandrillEventType(event),
          firedAt: typeof event.ts === "number" ? new Date(event.ts * 1_000) : undefined,
          payload: event,
        })),
      );
      const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;

      return {
        status: 200,
        body: { status: "stored", events: events.length - duplicates, duplicates },
      };
    });
  }

  private async endpoint(connectionId: string): Promise<TWebhookEndpoint | TIntakeAnswer> {
    if (!CONNECTION_ID.test(connectionId)) return NOT_FOUND;
    let endpoint: TWebhookEndpoint;
    try {
      endpoint = await this.deps.endpoints.get(connectionId);
    } catch (err) {
      this.deps.log.error({ err, connectionId }, "webhook connection lookup failed");

      return unavailable();
    }
    if (endpoint.state === "unknown") return NOT_FOUND;
    if (endpoint.state === "deleted") return GONE;

    return endpoint;
  }

  private async store(entries: TInboxEntry[]) {
    const timeoutMs = this.deps.storeTimeoutMs ?? 8_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InboxUnavailableError("timed out")), timeoutMs);
    });
    try {
      return await Promise.race([this.deps.inbox.write(entries), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Maps what went wrong to an answer: the client's fault 4xx, ours 503, never a crash. */
  private async guard(work: () => Promise<TIntakeAnswer>): Promise<TIntakeAnswer> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof WebhookInputError) {
        return { status: err.status, body: { error: err.message } };
      }
      if (err instanceof InboxRowRefusedError) {
        return { status: 400, body: { error: "the delivery cannot be stored as sent" } };
      }
      this.deps.log.error({ err }, "webhook delivery not stored");

      return unavailable();
    }
  }
}

/** sha256 of the decoded fields sorted by name (names are unique: repeats are refused). */
export function formContentKey(pairs: [string, string][]): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  return createHash("sha256")
    .update(JSON.stringify(["mailchimp", sorted]))
    .digest("hex");
}

function unavailable(): TIntakeAnswer {
  return { status: 503, body: { error: "temporarily unable to store deliveries, retry later" } };
}

function secretMatches(expectedDigest: Buffer, given: string): boolean {
  // Both sides as sha256 digests of equal length: the comparison takes the same time whatever
  // the given value (reliability-practice.md §1.5).
  const digest = createHash("sha256").update(given, "utf8").digest();

  return timingSafeEqual(digest, expectedDigest);
}
