/**
 * UX data-source REST API (reference/plex-api.md §3.2). The real host is
 * https://{pcn}.on.plex.com (or cloud.plex.com); the sandbox serves it under /ux/{pcn}, so a
 * client's base template http://host:port/ux/{pcn} stands in for https://{pcn}.on.plex.com.
 * {pcn} is the tenant's company code or its PCN number; "cloud" stands for cloud.plex.com.
 * POST …/api/datasources/{id}/execute with Basic auth: default format `{"inputs":{…}}` →
 * `{outputs, tables:[{columns, rows}], rowLimitedExceeded, transactionNo}`; `?format=2` takes the
 * flat inputs object and answers rows as objects.
 * Errors: `{errors:[{code,message}], transactionNo}`.
 */
import express, { type Request, type Response, type Router } from "express";

import {
  DATA_SOURCES,
  DataSourceError,
  findDataSource,
  hasAccess,
  readInputs,
  type TDataSource,
  type TDataSourceValue,
} from "../datasources/data-source.catalog.js";
import { callPipeline } from "../http/call.pipeline.js";
import { parseBasicAuth, type TWebServiceUser } from "../http/credentials.js";
import { sleep } from "../http/sandbox.settings.js";
import type { TSandboxContext } from "./sandbox.context.js";

export const UX_PREFIX = "/ux";

export function uxRoutes(ctx: TSandboxContext): Router {
  const router = express.Router();
  let transaction = 1_000_000_000;

  const nextTransactionNo = (): string => {
    transaction += 1;
    return String(transaction);
  };

  const fail = (res: Response, status: number, code: string, message: string): void => {
    res.status(status).json({ errors: [{ code, message }], transactionNo: nextTransactionNo() });
  };

  const authenticate = (req: Request, res: Response, next: () => void): void => {
    const basic = parseBasicAuth(req.headers.authorization);
    const user =
      basic === undefined ? undefined : ctx.credentials.webServiceUser(basic.user, basic.password);
    if (user === undefined) {
      ctx.stats.recordUnauthenticated();
      fail(res, 401, "USER_ACCESS_DENIED", "The user name or password is not valid.");
      return;
    }
    const pcn = String(req.params.pcn ?? "").toLowerCase();
    const plant = ctx.store().plant;
    if (pcn !== "cloud" && pcn !== plant.tenantCode.toLowerCase() && pcn !== plant.pcn) {
      fail(
        res,
        403,
        "CUSTOMER_ACCESS_DENIED",
        "The user does not have access to this customer (PCN).",
      );
      return;
    }
    res.locals.webServiceUser = user;
    next();
  };

  const pipeline = callPipeline(ctx, {
    budgeted: (context) => context.settings.rateLimit.dataSources,
    label: (res) => `ws:${(res.locals.webServiceUser as TWebServiceUser).username}`,
  });

  const metadata = (source: TDataSource) => ({
    id: source.id,
    name: source.name,
    description: source.description,
    inputs: source.inputs,
    outputs: [],
    columns: source.columns,
  });

  router.get(`${UX_PREFIX}/:pcn/api/datasources/search`, authenticate, pipeline, (req, res) => {
    const user = res.locals.webServiceUser as TWebServiceUser;
    const name = typeof req.query.name === "string" ? req.query.name.toLowerCase() : "";
    res.json(
      DATA_SOURCES.filter((source) => hasAccess(user.dataSources, source.id))
        .filter((source) => source.name.toLowerCase().includes(name))
        .map((source) => ({ id: source.id, name: source.name, description: source.description })),
    );
  });

  router.get(`${UX_PREFIX}/:pcn/api/datasources/:id`, authenticate, pipeline, (req, res) => {
    const source = findDataSource(Number(req.params.id));
    const user = res.locals.webServiceUser as TWebServiceUser;
    if (source === undefined) {
      fail(
        res,
        400,
        "DATA_SOURCE_NOT_FOUND",
        `Data source '${String(req.params.id)}' was not found.`,
      );
      return;
    }
    if (!hasAccess(user.dataSources, source.id)) {
      fail(
        res,
        403,
        "DATA_SOURCE_ACCESS_DENIED",
        `You do not have access to data source '${source.id}'.`,
      );
      return;
    }
    res.json(metadata(source));
  });

  router.all(`${UX_PREFIX}/:pcn/api/datasources/:id/execute`, authenticate, (req, res, next) => {
    if (req.method !== "POST") {
      fail(res, 405, "METHOD_NOT_ALLOWED", "Only POST is allowed on execute.");
      return;
    }
    next();
  });

  router.post(
    `${UX_PREFIX}/:pcn/api/datasources/:id/execute`,
    pipeline,
    express.json({ type: () => true, limit: "1mb", strict: false }),
    async (req: Request, res: Response) => {
      const user = res.locals.webServiceUser as TWebServiceUser;
      const id = String(req.params.id);
      const source = /^\d+$/.test(id) ? findDataSource(Number(id)) : undefined;
      if (source === undefined) {
        fail(res, 400, "DATA_SOURCE_NOT_FOUND", `Data source '${id}' was not found.`);
        return;
      }
      if (!hasAccess(user.dataSources, source.id)) {
        fail(
          res,
          403,
          "DATA_SOURCE_ACCESS_DENIED",
          `You do not have access to data source '${id}'.`,
        );
        return;
      }
      const format2 = req.query.format === "2";
      const body: unknown = req.body ?? {};
      const raw = format2 ? body : ((body as { inputs?: unknown }).inputs ?? {});
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        fail(res, 400, "DATA_SOURCE_INPUT_FORMAT_INVALID", "The inputs must be a JSON object.");
        return;
      }
      const rows: TDataSourceValue[][] = [];
      let limited = false;
      try {
        const inputs = readInputs(source, raw as Record<string, unknown>, false);
        for (const row of source.rows(ctx.store(), inputs)) {
          if (rows.length >= ctx.uxRowLimit) {
            limited = true;
            break;
          }
          rows.push(row);
        }
      } catch (err) {
        if (!(err instanceof DataSourceError)) throw err;
        fail(res, err.status, err.code, err.message);
        return;
      }
      await sleep(rows.length * ctx.settings.latency.perRowMs);
      const columns = source.columns.map((column) => column.name);
      const transactionNo = nextTransactionNo();
      // The docs spell the truncation flag three ways (reference §3.2); the sandbox sends the
      // spelling of the documented examples.
      if (format2) {
        const objects = rows.map((row) =>
          Object.fromEntries(columns.map((name, at) => [name, row[at]])),
        );
        res.json({ outputs: {}, rows: objects, rowLimitedExceeded: limited, transactionNo });
        return;
      }
      res.json({
        outputs: {},
        tables: [{ columns, rows }],
        rowLimitedExceeded: limited,
        transactionNo,
      });
    },
  );

  return router;
}
