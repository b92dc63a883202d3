/**
 * Plex data sources, for tenants whose data is reached through stored procedures rather than the
 * Connect REST API (reference plex-api.md §3):
 * - Classic SOAP: POST {soapUrl} ExecuteDataSource, Basic auth of a web-service user that belongs
 *   to one PCN (the user picks the tenant; no PCN element is sent);
 * - UX data-source REST: POST https://{pcn}.on.plex.com/api/datasources/{id}/execute?format=2,
 *   Basic auth, rows as objects.
 * Both return rows as plain records; the same call budget and retry rules as Connect apply.
 */
import axios, { type AxiosInstance } from "axios";
import { XMLParser } from "fast-xml-parser";

import { fullJitterDelay, registerSecret, sleep, type Logger } from "@ml-connector/runtime";

import type { PlexCallBudget } from "./call-budget.js";
import { PlexApiError, plexErrorFromException, plexErrorFromResponse } from "./plex-errors.js";

export type TBasicCredentials = { username: string; password: string };

export type TDataSourceRows = {
  rows: Record<string, string | number | boolean | null>[];
  /** The UX API flags a truncated result; the flag's spelling varies in Plex's own docs. */
  truncated: boolean;
  transactionNo?: string;
};

type TCommon = { budget?: PlexCallBudget; maxAttempts?: number; timeoutMs?: number; log?: Logger };

const SOAP_NAMESPACE = "http://www.plexus-online.com/DataSource";
const SOAP_ACTION = `${SOAP_NAMESPACE}/ExecuteDataSource`;

function escapeXml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

export function soapEnvelope(dataSourceKey: number, inputs: Record<string, string | number>) {
  const parameters = Object.entries(inputs)
    .map(
      ([name, value]) =>
        `<dat:InputParameter><dat:Value>${escapeXml(String(value))}</dat:Value>` +
        `<dat:Name>${escapeXml(name)}</dat:Name><dat:Required>false</dat:Required>` +
        `<dat:Output>false</dat:Output></dat:InputParameter>`,
    )
    .join("");

  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
    `xmlns:dat="${SOAP_NAMESPACE}"><soapenv:Header/><soapenv:Body><dat:ExecuteDataSource>` +
    `<dat:ExecuteDataSourceRequest><dat:DataSourceKey>${dataSourceKey}</dat:DataSourceKey>` +
    `<dat:InputParameters>${parameters}</dat:InputParameters></dat:ExecuteDataSourceRequest>` +
    `</dat:ExecuteDataSource></soapenv:Body></soapenv:Envelope>`
  );
}

const xml = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ["ResultSet", "Row", "Column"].includes(name),
});

type TSoapColumn = { Name?: string; Value?: string };
type TSoapResult = {
  Error?: string;
  ErrorNo?: string;
  Message?: string;
  ResultSets?: { ResultSet?: { Rows?: { Row?: { Columns?: { Column?: TSoapColumn[] } }[] } }[] };
};

/** Reads ExecuteDataSourceResult; a SOAP fault or Error=true becomes a PlexApiError. */
export function parseSoapResponse(body: string): TDataSourceRows {
  const parsed = xml.parse(body) as { Envelope?: { Body?: Record<string, unknown> } };
  const soapBody = parsed.Envelope?.Body;
  if (soapBody === undefined) {
    throw new PlexApiError(
      "Plex SOAP answer is not a SOAP envelope",
      "client",
      200,
      undefined,
      undefined,
    );
  }
  const fault = soapBody.Fault as { faultstring?: string } | undefined;
  if (fault !== undefined) {
    const message = `Plex SOAP fault: ${String(fault.faultstring ?? "no fault string").slice(0, 300)}`;
    throw new PlexApiError(message, "client", 500, "SOAP_FAULT", undefined);
  }
  const response = soapBody.ExecuteDataSourceResponse as { ExecuteDataSourceResult?: TSoapResult };
  const result = response?.ExecuteDataSourceResult;
  if (result === undefined) {
    throw new PlexApiError(
      "Plex SOAP answer has no ExecuteDataSourceResult",
      "client",
      200,
      undefined,
      undefined,
    );
  }
  if (result.Error === "true") {
    const message = `Plex data source error ${result.ErrorNo ?? "?"}: ${(result.Message ?? "").slice(0, 300)}`;
    throw new PlexApiError(message, "client", 200, result.ErrorNo, undefined);
  }

  const rows = (result.ResultSets?.ResultSet?.[0]?.Rows?.Row ?? []).map((row) => {
    const record: Record<string, string | null> = {};
    for (const column of row.Columns?.Column ?? []) {
      if (column.Name !== undefined) record[column.Name] = column.Value ?? null;
    }

    return record;
  });

  return { rows, truncated: false };
}

async function withRetries<T>(
  what: string,
  options: TCommon,
  call: () => Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>,
  read: (data: unknown) => T,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt += 1) {
    await options.budget?.acquire();
    let error: PlexApiError;
    try {
      const response = await call();
      if (response.status >= 200 && response.status < 300) return read(response.data);
      error = plexErrorFromResponse(what, response.status, response.data, response.headers);
    } catch (err) {
      error = plexErrorFromException(err, what);
    }
    if (!error.retryable || attempt >= maxAttempts) throw error;
    const delay = error.retryAfterMs ?? fullJitterDelay(attempt, { baseMs: 1_000, capMs: 60_000 });
    if (error.kind === "rate-limited") await options.budget?.pause(delay);
    options.log?.warn({ status: error.status, attempt, delayMs: delay }, "plex data source retry");
    await sleep(delay);
  }
}

export class PlexSoapClient {
  private readonly http: AxiosInstance;

  constructor(
    private readonly config: { soapUrl: string; credentials: TBasicCredentials } & TCommon,
  ) {
    registerSecret(config.credentials.password);
    this.http = axios.create({ timeout: config.timeoutMs ?? 120_000, validateStatus: () => true });
  }

  async execute(dataSourceKey: number, inputs: Record<string, string | number> = {}) {
    return withRetries(
      `SOAP ExecuteDataSource ${dataSourceKey}`,
      this.config,
      async () => {
        const response = await this.http.post(
          this.config.soapUrl,
          soapEnvelope(dataSourceKey, inputs),
          {
            auth: this.config.credentials,
            headers: { "content-type": "text/xml; charset=utf-8", soapaction: SOAP_ACTION },
            responseType: "text",
          },
        );
        // A SOAP fault comes with HTTP 500 but is a permanent answer, not a server hiccup.
        if (response.status === 500 && String(response.data).includes("Fault")) {
          return { status: 200, data: response.data as unknown, headers: {} };
        }

        return {
          status: response.status,
          data: response.data as unknown,
          headers: response.headers,
        };
      },
      (data) => parseSoapResponse(String(data)),
    );
  }
}

export class PlexUxDataSourceClient {
  private readonly http: AxiosInstance;

  /** `baseUrlTemplate` is e.g. https://{pcn}.on.plex.com (the sandbox serves it under a path). */
  constructor(
    private readonly config: {
      baseUrlTemplate: string;
      pcn: string;
      credentials: TBasicCredentials;
    } & TCommon,
  ) {
    registerSecret(config.credentials.password);
    const baseURL = config.baseUrlTemplate.replace("{pcn}", encodeURIComponent(config.pcn));
    this.http = axios.create({
      baseURL: baseURL.replace(/\/+$/, ""),
      timeout: config.timeoutMs ?? 120_000,
      validateStatus: () => true,
    });
  }

  async execute(dataSourceId: number, inputs: Record<string, unknown> = {}) {
    return withRetries(
      `UX data source ${dataSourceId}`,
      this.config,
      async () => {
        const response = await this.http.post(`/api/datasources/${dataSourceId}/execute`, inputs, {
          params: { format: 2 },
          auth: this.config.credentials,
          headers: {
            "content-type": "application/json; charset=utf-8",
            accept: "application/json",
          },
        });

        return {
          status: response.status,
          data: response.data as unknown,
          headers: response.headers,
        };
      },
      (data) => {
        const body = (data ?? {}) as Record<string, unknown>;
        const rows = Array.isArray(body.rows) ? (body.rows as TDataSourceRows["rows"]) : [];
        const truncated =
          body.rowLimitExceeded === true ||
          body.rowLimitedExceeded === true ||
          body.limitExceeded === true;

        return {
          rows,
          truncated,
          transactionNo: typeof body.transactionNo === "string" ? body.transactionNo : undefined,
        };
      },
    );
  }
}
