/**
 * Classic SOAP data sources: POST /DataSource/Service.asmx (reference/plex-api.md §3.1). Basic
 * auth of a web-service user, who belongs to one PCN (the sandbox tenant); operations
 * ExecuteDataSource (structured InputParameters) and ExecuteDataSourcePost (delimited names and
 * values, with the real parameter spelling `delimeter`). Answers ExecuteDataSourceResult with
 * ResultSets/ResultSet/Rows/Row/Columns/Column{Name,Value}, every value a string, ErrorNo 200 on
 * success. Like an ASMX service, a request it cannot read is a SOAP fault with HTTP 500 and
 * faultcode soap:Client (SOAP 1.1 §6.2 puts faults on 500), and a wrong SOAPAction is the ASMX
 * "Server did not recognize the value of HTTP Header SOAPAction" fault.
 */
import express, { type Request, type Response, type Router } from "express";
import { XMLParser } from "fast-xml-parser";

import {
  DataSourceError,
  findDataSource,
  hasAccess,
  readInputs,
  type TDataSourceValue,
} from "../datasources/data-source.catalog.js";
import { callPipeline } from "../http/call.pipeline.js";
import { parseBasicAuth, type TWebServiceUser } from "../http/credentials.js";
import { sleep } from "../http/sandbox.settings.js";
import type { TSandboxContext } from "./sandbox.context.js";

export const SOAP_PATH = "/DataSource/Service.asmx";
const NAMESPACE = "http://www.plexus-online.com/DataSource";
const SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
const OPERATIONS = ["ExecuteDataSource", "ExecuteDataSourcePost"] as const;
type TOperation = (typeof OPERATIONS)[number];

const UNAUTHORIZED_PAGE =
  "<html><body><h2>401 - Unauthorized: Access is denied due to invalid credentials.</h2>" +
  "</body></html>";

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === "InputParameter",
});

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

type TSoapVersion = "1.1" | "1.2";

function envelope(version: TSoapVersion, body: string): string {
  const ns = version === "1.1" ? SOAP11 : SOAP12;

  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

function contentType(version: TSoapVersion): string {
  return version === "1.1" ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8";
}

function sendFault(res: Response, version: TSoapVersion, message: string): void {
  const fault =
    version === "1.1"
      ? `<soap:Fault><faultcode>soap:Client</faultcode>` +
        `<faultstring>${escapeXml(message)}</faultstring><detail /></soap:Fault>`
      : `<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>` +
        `<soap:Reason><soap:Text xml:lang="en">${escapeXml(message)}</soap:Text></soap:Reason>` +
        `</soap:Fault>`;
  res.status(500).type(contentType(version)).send(envelope(version, fault));
}

function requestedOperation(req: Request, version: TSoapVersion): string {
  if (version === "1.1") return String(req.headers.soapaction ?? "").replace(/^"|"$/g, "");
  const action = /action="?([^";]+)"?/i.exec(String(req.headers["content-type"] ?? ""));

  return action?.[1] ?? "";
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function asText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** Data-source key and raw inputs of either operation's request element. */
function readRequest(operation: TOperation, element: Record<string, unknown>) {
  if (operation === "ExecuteDataSource") {
    const request = record(element.ExecuteDataSourceRequest);
    const inputs: Record<string, string> = {};
    const list = record(request.InputParameters).InputParameter;
    for (const parameter of Array.isArray(list) ? list : []) {
      const fields = record(parameter);
      // Some clients send "@Name" (reference §3.1): the @ is not part of the input name.
      const name = asText(fields.Name).replace(/^@/, "");
      if (name !== "") inputs[name] = asText(fields.Value);
    }
    return { key: asText(request.DataSourceKey), inputs };
  }
  const delimiter = asText(element.delimeter) || ",";
  const names = asText(element.parameterNames)
    .split(delimiter)
    .filter((name) => name !== "");
  const values = asText(element.parameterValues).split(delimiter);
  const inputs: Record<string, string> = {};
  names.forEach((name, at) => {
    inputs[name.replace(/^@/, "")] = values[at] ?? "";
  });

  return { key: asText(element.dataSourceKey), inputs };
}

function resultXml(
  operation: TOperation,
  key: string,
  name: string,
  outcome: { errorNo: number; message: string; columns: string[]; rows: TDataSourceValue[][] },
  instanceNo: number,
): string {
  const error = outcome.errorNo !== 200;
  const rows = outcome.rows
    .map((row) => {
      const columns = row
        .map((value, at) => {
          const text = value === null ? "" : String(value);
          const name = escapeXml(outcome.columns[at]!);
          return `<Column><Name>${name}</Name><Value>${escapeXml(text)}</Value></Column>`;
        })
        .join("");
      return `<Row><Columns>${columns}</Columns></Row>`;
    })
    .join("");
  const resultSets = error
    ? "<ResultSets />"
    : `<ResultSets><ResultSet><RowCount>${outcome.rows.length}</RowCount>` +
      `<Rows>${rows}</Rows></ResultSet></ResultSets>`;

  return (
    `<${operation}Response xmlns="${NAMESPACE}"><${operation}Result>` +
    `<DataSourceKey>${escapeXml(key)}</DataSourceKey>` +
    `<DataSourceName>${escapeXml(name)}</DataSourceName>` +
    `<Error>${error ? "true" : "false"}</Error><ErrorNo>${outcome.errorNo}</ErrorNo>` +
    `<Message>${escapeXml(outcome.message)}</Message><InstanceNo>${instanceNo}</InstanceNo>` +
    `<StatusNo>${error ? 1 : 0}</StatusNo>${resultSets}` +
    `</${operation}Result></${operation}Response>`
  );
}

export function soapRoutes(ctx: TSandboxContext): Router {
  const router = express.Router();
  let instanceNo = 1;

  const authenticate = (req: Request, res: Response, next: () => void): void => {
    const basic = parseBasicAuth(req.headers.authorization);
    const user =
      basic === undefined ? undefined : ctx.credentials.webServiceUser(basic.user, basic.password);
    if (user === undefined) {
      ctx.stats.recordUnauthenticated();
      res
        .status(401)
        .setHeader("WWW-Authenticate", 'Basic realm="api.plexonline.com"')
        .type("text/html")
        .send(UNAUTHORIZED_PAGE);
      return;
    }
    res.locals.webServiceUser = user;
    next();
  };

  router.post(
    SOAP_PATH,
    authenticate,
    callPipeline(ctx, {
      budgeted: (context) => context.settings.rateLimit.dataSources,
      label: (res) => `ws:${(res.locals.webServiceUser as TWebServiceUser).username}`,
    }),
    express.text({ type: () => true, limit: "1mb" }),
    async (req: Request, res: Response) => {
      const version: TSoapVersion = req.is("application/soap+xml") ? "1.2" : "1.1";
      const body = typeof req.body === "string" ? req.body : "";
      let parsed: Record<string, unknown>;
      try {
        parsed = record(parser.parse(body, true));
      } catch (err) {
        sendFault(
          res,
          version,
          `Server was unable to read request. ---> ${(err as Error).message}`,
        );
        return;
      }
      const soapBody = record(record(parsed.Envelope).Body);
      const operation = OPERATIONS.find((name) => name in soapBody);
      const action = requestedOperation(req, version);
      if (operation === undefined || action !== `${NAMESPACE}/${operation}`) {
        sendFault(
          res,
          version,
          `Server did not recognize the value of HTTP Header SOAPAction: ${action}.`,
        );
        return;
      }

      const { key, inputs } = readRequest(operation, record(soapBody[operation]));
      const user = res.locals.webServiceUser as TWebServiceUser;
      const source = /^\d+$/.test(key) ? findDataSource(Number(key)) : undefined;
      let outcome = {
        errorNo: 200,
        message: "",
        columns: [] as string[],
        rows: [] as TDataSourceValue[][],
      };
      if (source === undefined) {
        outcome = { ...outcome, errorNo: 404, message: `Data source ${key} was not found.` };
      } else if (!hasAccess(user.dataSources, source.id)) {
        outcome = {
          ...outcome,
          errorNo: 403,
          message: `You do not have access to data source '${key}'.`,
        };
      } else {
        try {
          const rows = [...source.rows(ctx.store(), readInputs(source, inputs, true))];
          outcome = {
            errorNo: 200,
            message: "",
            columns: source.columns.map((column) => column.name),
            rows,
          };
        } catch (err) {
          if (!(err instanceof DataSourceError)) throw err;
          outcome = { ...outcome, errorNo: err.status, message: err.message };
        }
      }
      await sleep(outcome.rows.length * ctx.settings.latency.perRowMs);
      const xml = resultXml(operation, key, source?.name ?? "", outcome, instanceNo);
      instanceNo += 1;
      res.status(200).type(contentType(version)).send(envelope(version, xml));
    },
  );

  return router;
}
