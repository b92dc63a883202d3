/**
 * Fuzzing the receiver over real HTTP (reference reliability-practice.md §5.2): thousands of
 * malformed bodies, broken events, wrong headers and encodings, odd paths and methods, forged
 * Mandrill posts. Every answer must be a 4xx, the process must not crash, and nothing may be
 * stored. Inputs are malformed by construction (each generator breaks a valid delivery in a way
 * that makes it invalid), so a 2xx here is a bug, not a lucky input.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startReceiverHarness,
  subscribeForm,
  type TReceiverHarness,
} from "./test-support/receiver.harness.js";

const FORM = "application/x-www-form-urlencoded";
const RUNS = Number(process.env.ML_FUZZ_RUNS ?? 400);

describe("the receiver under malformed input", () => {
  let harness: TReceiverHarness;
  let connection: { id: string; secret: string };
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  let requests = 0;

  beforeAll(async () => {
    harness = await startReceiverHarness({ mailchimpMaxBytes: 16_384 });
    connection = await harness.connection({ mandrillKey: "fuzz-mandrill-key-000000" });
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
  });

  afterAll(async () => {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await harness.close();
  });

  const route = () => `${harness.url}/webhooks/mailchimp/${connection.id}/${connection.secret}`;

  async function send(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array },
  ): Promise<number> {
    requests += 1;
    const res = await fetch(url, {
      method: init.method ?? "POST",
      headers: init.headers,
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === "string"
            ? init.body
            : Buffer.from(init.body),
    });
    await res.arrayBuffer();

    return res.status;
  }

  const is4xx = (status: number) => status >= 400 && status < 500;

  it("answers random bodies with 4xx", async () => {
    const body = fc.oneof(
      fc.string({ minLength: 1, maxLength: 3_000 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 3_000 }),
      fc.uint8Array({ minLength: 1, maxLength: 3_000 }),
      fc
        .array(fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 })), {
          minLength: 1,
          maxLength: 30,
        })
        .map((pairs) =>
          pairs
            .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
            .join("&"),
        )
        .filter((text) => text.length > 0),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const status = await send(route(), { headers: { "content-type": FORM }, body: payload });
        expect(status, `body ${JSON.stringify(String(payload).slice(0, 80))}`).toSatisfy(is4xx);
      }),
      { numRuns: RUNS },
    );
  });

  it("answers deliveries broken in one place with 400", async () => {
    const valid = subscribeForm("fuzz@acme-industrial.com");
    const pairs = valid.split("&");
    const required = ["type", "fired_at", "data%5Blist_id%5D", "data%5Bemail%5D"];
    const breakage = fc.oneof(
      fc
        .constantFrom(...required)
        .map((name) => pairs.filter((pair) => !pair.startsWith(`${name}=`)).join("&")),
      fc
        .string({ maxLength: 30 })
        .filter((text) => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text))
        .map((text) => valid.replace(/fired_at=[^&]*/, `fired_at=${encodeURIComponent(text)}`)),
      fc
        .string({ maxLength: 40 })
        .filter((text) => !text.includes("@") || /\s/.test(text))
        .map((text) =>
          valid.replace(/data%5Bemail%5D=[^&]*/, `data%5Bemail%5D=${encodeURIComponent(text)}`),
        ),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter(
          (text) =>
            ![
              "subscribe",
              "unsubscribe",
              "profile",
              "cleaned",
              "upemail",
              "campaign",
              "sms_subscribe",
              "sms_unsubscribe",
              "upsms",
              "sms_campaign",
            ].includes(text),
        )
        .map((text) => valid.replace("type=subscribe", `type=${encodeURIComponent(text)}`)),
      fc.constantFrom(...pairs).map((pair) => `${valid}&${pair.split("=")[0]}=second-value`),
      fc
        .nat({ max: valid.length })
        .chain((at) =>
          fc
            .constantFrom("%", "%G", "%ZZ", "%E0%A4%A", "%00", "%ED%A0%80", "%C3")
            .map((bad) => `${valid.slice(0, at)}${bad}${valid.slice(at)}`),
        )
        .filter((text) => {
          try {
            decodeURIComponent(text.replaceAll("+", " "));
            return text.includes("%00") || text.includes("%ED%A0%80");
          } catch {
            return true;
          }
        }),
      fc.integer({ min: 5, max: 12 }).map((depth) => `${valid}&data${"[x]".repeat(depth)}=1`),
      fc.integer({ min: 301, max: 600 }).map((count) => `${valid}${"&f=1".repeat(count)}`),
      fc
        .integer({ min: 2_001, max: 4_000 })
        .map((length) => valid.replace("FNAME%5D=Ada", `FNAME%5D=${"a".repeat(length)}`)),
    );
    await fc.assert(
      fc.asyncProperty(breakage, async (payload) => {
        const status = await send(route(), { headers: { "content-type": FORM }, body: payload });
        expect(status, `body ${payload.slice(0, 120)}`).toSatisfy(is4xx);
      }),
      { numRuns: RUNS },
    );
  });

  it("answers wrong content types, charsets and encodings with 415 or 400, oversize with 413", async () => {
    const valid = subscribeForm("fuzz-headers@acme-industrial.com");
    const headers = fc.oneof(
      fc
        .oneof(
          fc.constantFrom(
            "application/json",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/xml",
            "",
            "*/*",
          ),
          fc.string({ maxLength: 60 }),
        )
        .filter((type) => !type.trim().toLowerCase().startsWith(FORM))
        .map((type) => ({ "content-type": type })),
      fc
        .constantFrom("latin1", "iso-8859-1", "utf-16", "ascii", "x-garbage")
        .map((charset) => ({ "content-type": `${FORM}; charset=${charset}` })),
      fc
        .constantFrom("gzip", "deflate", "br", "x-unknown", "gzip, gzip")
        .map((encoding) => ({ "content-type": FORM, "content-encoding": encoding })),
    );
    await fc.assert(
      fc.asyncProperty(headers, async (chosen) => {
        const status = await send(route(), { headers: chosen, body: valid });
        expect(status, JSON.stringify(chosen)).toSatisfy(is4xx);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 16_385, max: 200_000 }), async (size) => {
        const status = await send(route(), {
          headers: { "content-type": FORM },
          body: `${valid}&pad=${"x".repeat(size)}`,
        });
        expect(status).toBe(413);
      }),
      { numRuns: 50 },
    );
  });

  it("answers odd paths and methods with 4xx", async () => {
    const segment = fc.oneof(
      fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent),
      fc.constantFrom("%ZZ", "%E0%A4%A", "%00", "..", "%2e%2e", "a%2Fb", "x".repeat(300)),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
      path: fc.oneof(
        segment.map((id) => `/webhooks/mailchimp/${id}/${connection.secret}`),
        segment.map((secret) => `/webhooks/mailchimp/${connection.id}/${secret}`),
        fc.tuple(segment, segment).map(([a, b]) => `/webhooks/${a}/${b}`),
        segment.map((id) => `/webhooks/mandrill/${id}`),
        fc.constant(`/webhooks/mailchimp/${connection.id}/${connection.secret}`),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path }) => {
        const onRoute = path === `/webhooks/mailchimp/${connection.id}/${connection.secret}`;
        // The validation GET (and HEAD) on the real route is the one legitimate 200.
        fc.pre(!(onRoute && (method === "GET" || method === "HEAD" || method === "POST")));
        const status = await send(`${harness.url}${path}`, {
          method,
          headers: { "content-type": FORM },
          body:
            method === "GET" || method === "HEAD" ? undefined : subscribeForm("fuzz-path@acme.com"),
        });
        expect(status, `${method} ${path.slice(0, 100)}`).toSatisfy(is4xx);
      }),
      { numRuns: RUNS },
    );
  });

  it("refuses forged or malformed Mandrill posts", async () => {
    const url = `${harness.url}/webhooks/mandrill/${connection.id}`;
    const post = fc.record({
      signature: fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.base64String({ minLength: 28, maxLength: 28 }),
      ),
      body: fc.oneof(
        fc.json().map((json) => `mandrill_events=${encodeURIComponent(json)}`),
        fc.string({ maxLength: 500 }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(post, async ({ signature, body }) => {
        fc.pre(body.length > 0);
        const status = await send(url, {
          headers: { "content-type": FORM, "x-mandrill-signature": signature },
          body,
        });
        expect(status).toSatisfy(is4xx);
      }),
      { numRuns: RUNS },
    );
  });

  it("stored nothing, crashed nothing, and still answers", async () => {
    expect(requests).toBeGreaterThan(2_000);
    expect(await harness.inboxRows(connection.id)).toBe(0);
    expect(crashes).toEqual([]);
    expect((await fetch(route())).status).toBe(200);
  });
});
