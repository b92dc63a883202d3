/**
 * The Marketing API over HTTP, one base path per data center: `/{dc}/3.0/...` stands for
 * `https://{dc}.api.mailchimp.com/3.0/...`. In order, a request is:
 * 1. authenticated, and refused when its key or token belongs to another data center;
 * 2. admitted under the account's limit of simultaneous connections ([FUND]: 10; the 11th gets
 *    429, or a body-less 403 when so configured);
 * 3. subjected to injected faults and to the latency model;
 * 4. read, parsed, validated against the official spec and handled.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

import type { NextFunction, Request, Response } from "express";

import type { TApiResult } from "../api/api-route.js";
import type { TRouteMatch } from "../api/route-table.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TAccount } from "../state/account.model.js";
import { ApiProblem, problemBody, problems } from "./api-problem.js";
import { BodyTooLargeError, readBody } from "./body-reader.js";
import { readCredential } from "./credentials.js";
import type { TFaultDecision } from "./fault.injector.js";

/** `/us21/3.0/lists/…` → data center and API path. */
const API_PATH = /^\/([a-z]+\d+)\/3\.0(\/.*)?$/;

export function apiRequestHandler(ctx: SandboxContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = API_PATH.exec(req.path);
    if (match === null) {
      next();
      return;
    }
    const dc = match[1] ?? "";
    const path = match[2] ?? "/";
    handleApiRequest(ctx, req, res, dc, path).catch((err: unknown) => {
      ctx.log.error({ err }, "api request failed");
      if (!res.headersSent) sendProblem(res, problems.internal(), randomUUID());
    });
  };
}

async function handleApiRequest(
  ctx: SandboxContext,
  req: Request,
  res: Response,
  dc: string,
  path: string,
): Promise<void> {
  const requestId = randomUUID();
  const startedAt = Date.now();
  const method = req.method.toUpperCase();

  const account = authenticate(ctx, req.headers.authorization, dc);
  if (account instanceof ApiProblem) {
    finish(ctx, res, { method, endpoint: "(unauthenticated)", requestId, startedAt }, account);
    return;
  }
  account.stats.requests += 1;

  if (!admit(ctx, account, res, requestId)) {
    ctx.stats.record(
      `${method} (over limit)`,
      ctx.options.connections.overloadResponse === "403" ? 403 : 429,
    );
    return;
  }

  let endpoint = `${method} (unmatched)`;
  const fault = ctx.faults.decide({ method, path, accountId: account.id });
  const faultAction = fault.action;
  if (faultAction?.kind === "drop") {
    ctx.stats.dropped += 1;
    ctx.stats.record(endpoint, "dropped");
    req.socket.destroy();
    return;
  }

  let routeMatch: TRouteMatch | undefined;
  let result: TApiResult;
  try {
    routeMatch = ctx.dispatcher.resolve(method, path);
    endpoint = `${method} ${routeMatch.route.path}`;
    const body = parseJson(await readBody(req, ctx.options.limits.maxBodyBytes));
    const units = routeMatch.route.latencyUnits?.({ body }) ?? 0;
    const latency = ctx.options.latency;
    await sleep(latency.perRequestMs + units * latency.perBatchMemberMs + fault.extraLatencyMs);

    if (faultAction !== undefined) {
      sendFault(ctx, res, faultAction, requestId);
      ctx.stats.record(endpoint, res.statusCode);
      return;
    }
    const query = singleValues(req.query);
    result = await ctx.dispatcher.run(
      routeMatch,
      { account, query, body, apiBase: ctx.apiBase(dc), source: "api" },
      requestId,
    );
  } catch (err) {
    const problem = err instanceof BodyTooLargeError ? problems.payloadTooLarge() : err;
    result = ctx.dispatcher.problemResult(problem, requestId);
    if (!(err instanceof ApiProblem) && !(err instanceof BodyTooLargeError)) {
      ctx.log.error({ err }, "api request failed");
    }
  }

  sendResult(res, result, requestId);
  ctx.stats.record(endpoint, result.status);
  ctx.log.debug(
    {
      method,
      endpoint,
      status: result.status,
      accountId: account.id,
      durationMs: Date.now() - startedAt,
    },
    "api request answered",
  );
}

/** Finds the account a credential belongs to and checks its data center. */
function authenticate(
  ctx: SandboxContext,
  authorization: string | undefined,
  dc: string,
): TAccount | ApiProblem {
  const credential = readCredential(authorization);
  if (credential === undefined) return problems.apiKeyMissing();

  const account =
    credential.kind === "apiKey"
      ? ctx.accounts.findByApiKey(credential.apiKey)
      : ctx.accounts.findByToken(credential.token);
  if (account === undefined) return problems.apiKeyInvalid();
  if (account.dc !== dc) {
    return ctx.options.wrongDataCenterStatus === "403"
      ? problems.wrongDatacenter()
      : problems.apiKeyInvalid();
  }

  return account;
}

/**
 * Takes one of the account's connection slots until the response is finished or the client goes
 * away. Over the limit the request is answered at once and takes no slot.
 */
function admit(
  ctx: SandboxContext,
  account: TAccount,
  res: ServerResponse,
  requestId: string,
): boolean {
  const { maxPerAccount, overloadResponse, forbiddenShare } = ctx.options.connections;
  if (account.stats.inFlight >= maxPerAccount) {
    const forbidden =
      overloadResponse === "403" ||
      (overloadResponse === "mixed" && ctx.overloadRandom.next() < forbiddenShare);
    if (forbidden) {
      // "At exceptionally high volumes, you may receive an HTTP 429 or 403 without a JSON body."
      account.stats.rejectedForbidden += 1;
      ctx.stats.forbiddenEmpty += 1;
      res.writeHead(403, { "x-request-id": requestId, "content-length": "0" }).end();
    } else {
      account.stats.rejectedTooMany += 1;
      ctx.stats.tooManyRequests += 1;
      sendProblem(res, problems.tooManyRequests(), requestId);
    }
    return false;
  }

  account.stats.inFlight += 1;
  account.stats.peakInFlight = Math.max(account.stats.peakInFlight, account.stats.inFlight);
  let released = false;
  res.once("close", () => {
    if (released) return;
    released = true;
    account.stats.inFlight -= 1;
  });

  return true;
}

function sendFault(
  ctx: SandboxContext,
  res: ServerResponse,
  action: NonNullable<TFaultDecision["action"]>,
  requestId: string,
): void {
  if (action.kind === "drop") {
    res.socket?.destroy();
    return;
  }
  if (action.kind === "forbidden-empty") {
    ctx.stats.forbiddenEmpty += 1;
    res.writeHead(403, { "x-request-id": requestId, "content-length": "0" }).end();
    return;
  }
  if (action.kind === "too-many-requests") {
    ctx.stats.tooManyRequests += 1;
    sendProblem(res, problems.tooManyRequests(), requestId);
    return;
  }
  sendProblem(res, problems.serverError(action.status), requestId);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw problems.jsonParse();
  }
}

function singleValues(query: Request["query"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === "string") out[name] = value;
    else if (Array.isArray(value) && typeof value[0] === "string") out[name] = value[0];
  }

  return out;
}

function finish(
  ctx: SandboxContext,
  res: ServerResponse,
  request: { method: string; endpoint: string; requestId: string; startedAt: number },
  problem: ApiProblem,
): void {
  sendProblem(res, problem, request.requestId);
  ctx.stats.record(`${request.method} ${request.endpoint}`, problem.status);
}

export function sendProblem(res: ServerResponse, problem: ApiProblem, requestId: string): void {
  sendResult(res, { status: problem.status, body: problemBody(problem, requestId) }, requestId);
}

/** Headers as recorded from Mailchimp: JSON with charset, X-Request-Id, problem `Link`. */
function sendResult(res: ServerResponse, result: TApiResult, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const problem = result.status >= 400;
  const headers: Record<string, string> = {
    ...result.headers,
    "x-request-id": requestId,
    "content-type": problem
      ? "application/problem+json; charset=utf-8"
      : "application/json; charset=utf-8",
  };
  if (problem) {
    headers.link =
      "<https://us1.api.mailchimp.com/schema/3.0/Definitions/ProblemDetailDocument.json>; " +
      'rel="describedBy"';
  }
  if (result.body === undefined || result.status === 204) {
    res.writeHead(result.status, headers).end();
    return;
  }
  const payload = JSON.stringify(result.body);
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(result.status, headers).end(payload);
}
