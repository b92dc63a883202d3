/**
 * Runs one Marketing API operation: match the route, validate the query and body against the
 * official spec, call the handler, apply `fields`/`exclude_fields`, and turn an ApiProblem into
 * Mailchimp's problem body. HTTP requests and `/batches` operations both come through here.
 */
import { randomUUID } from "node:crypto";

import { ApiProblem, problemBody, problems } from "../http/api-problem.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { THttpMethod } from "../spec/served-operations.js";
import type { TQuery } from "../spec/request-validator.js";
import type { TAccount } from "../state/account.model.js";
import type { TBatchOperation } from "../state/batch.model.js";
import type { TApiCall, TApiResult } from "./api-route.js";
import { applyFieldSelection } from "./partial-response.js";
import type { TRouteMatch } from "./route-table.js";

export type TProblemResult = TApiResult & { problem: ApiProblem };

export class ApiDispatcher {
  constructor(private readonly ctx: SandboxContext) {}

  /** Throws ApiProblem 404/405. */
  resolve(method: string, path: string): TRouteMatch {
    return this.ctx.routes.match(method.toLowerCase() as THttpMethod, path);
  }

  /** Validates and runs a matched call; problems come back as results, never thrown. */
  async run(
    match: TRouteMatch,
    call: Omit<TApiCall, "params">,
    requestId: string,
  ): Promise<TApiResult> {
    try {
      const operation = this.ctx.spec.operation(match.route.method, match.route.path);
      if (operation !== undefined) this.ctx.validator.validate(operation, call.body, call.query);

      const result = await match.route.handle({ ...call, params: match.params }, this.ctx);
      if (result.body === undefined || result.status >= 300) return result;

      return {
        status: result.status,
        body: applyFieldSelection(result.body, call.query.fields, call.query.exclude_fields),
      };
    } catch (err) {
      return this.problemResult(err, requestId);
    }
  }

  problemResult(err: unknown, requestId: string): TProblemResult {
    let problem: ApiProblem;
    if (err instanceof ApiProblem) {
      problem = err;
    } else {
      this.ctx.log.error({ err }, "handler failed");
      problem = problems.internal();
    }

    const headers = problem.allow === undefined ? undefined : { allow: problem.allow.join(", ") };

    return { status: problem.status, body: problemBody(problem, requestId), headers, problem };
  }

  /** One operation of a `/batches` job, on behalf of its account. */
  async executeOperation(account: TAccount, operation: TBatchOperation): Promise<TApiResult> {
    const requestId = randomUUID();
    const [rawPath = "", rawQuery = ""] = operation.path.replace(/^\/3\.0(?=\/)/, "").split("?", 2);
    let body: unknown;
    if (operation.body !== undefined && operation.body !== "") {
      try {
        body = JSON.parse(operation.body);
      } catch {
        return this.problemResult(problems.jsonParse(), requestId);
      }
    }

    const query: TQuery = Object.fromEntries(new URLSearchParams(rawQuery));
    for (const [name, value] of Object.entries(operation.params ?? {})) {
      query[name] = Array.isArray(value) ? value.map(String).join(",") : String(value);
    }

    try {
      const match = this.resolve(operation.method, rawPath);

      return await this.run(
        match,
        { account, query, body, apiBase: this.ctx.apiBase(account.dc), source: "api" },
        requestId,
      );
    } catch (err) {
      return this.problemResult(err, requestId);
    }
  }
}
