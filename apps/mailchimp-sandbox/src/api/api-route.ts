/**
 * The shape of one Marketing API operation as the sandbox implements it: a pure handler from a
 * call (account, path parameters, query, parsed body) to a status and a body. The same handlers
 * serve HTTP requests and the operations of a `/batches` job, so both follow the same rules.
 */
import type { TAccount } from "../state/account.model.js";
import type { TWebhookSource } from "../state/audience.model.js";
import type { THttpMethod } from "../spec/served-operations.js";
import type { TQuery } from "../spec/request-validator.js";
import type { SandboxContext } from "../sandbox-context.js";

export type TApiCall = {
  account: TAccount;
  params: Record<string, string>;
  query: TQuery;
  body: unknown;
  /** "http://host:port/us21/3.0": base of the `_links` hrefs. */
  apiBase: string;
  source: TWebhookSource;
};

export type TApiResult = { status: number; body?: unknown; headers?: Record<string, string> };

export type TApiRoute = {
  method: THttpMethod;
  /** The official spec's path template, e.g. "/lists/{list_id}/members/{subscriber_hash}". */
  path: string;
  handle: (call: TApiCall, ctx: SandboxContext) => TApiResult | Promise<TApiResult>;
  /** Work units beyond the request itself, for the latency model (members of a batch). */
  latencyUnits?: (call: Pick<TApiCall, "body">) => number;
};

export function ok(body: unknown): TApiResult {
  return { status: 200, body };
}

export function noContent(): TApiResult {
  return { status: 204 };
}

/** Reads a query flag the way Mailchimp accepts booleans in query strings. */
export function queryFlag(query: TQuery, name: string): boolean {
  const value = query[name]?.toLowerCase();

  return value === "true" || value === "1";
}

/** count (default 10, max 1000) and offset of a collection ([SPEC], §1 Pagination). */
export function page<T>(items: T[], query: TQuery): T[] {
  const count = query.count === undefined ? 10 : Number(query.count);
  const offset = query.offset === undefined ? 0 : Number(query.offset);

  return items.slice(offset, offset + count);
}
