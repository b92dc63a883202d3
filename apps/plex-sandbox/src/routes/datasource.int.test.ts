/**
 * Classic SOAP ExecuteDataSource and the UX data-source API over real HTTP: Basic auth of a
 * web-service user, envelopes in and out, faults, errors and the row-limit flag.
 */
import axios from "axios";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  CUSTOMER_LIST_DATA_SOURCE,
  SALES_ORDER_LIST_DATA_SOURCE,
} from "../datasources/data-source.catalog.js";
import { startPlexSandbox, type TPlexSandboxHandle } from "../plex-sandbox.js";

const ACTION = "http://www.plexus-online.com/DataSource/ExecuteDataSource";

let sandbox: TPlexSandboxHandle;
let auth: { username: string; password: string };
let customer: { code: string; id: string; name: string };

beforeAll(async () => {
  sandbox = await startPlexSandbox({
    customers: 80,
    latency: { baseMs: 0, perRowMs: 0 },
    uxRowLimit: 50,
    webServiceUsers: [
      { username: "MlcDemoWs@plex.com", password: "sandbox-ws-password" },
      {
        username: "Limited@plex.com",
        password: "limited-password",
        dataSources: [CUSTOMER_LIST_DATA_SOURCE],
      },
    ],
  });
  auth = { username: sandbox.webServiceUser.username, password: sandbox.webServiceUser.password };
  customer = sandbox.store().plant.customer(2);
});

afterAll(async () => {
  await sandbox.close();
});

function envelope(key: number, inputs: Record<string, string>): string {
  const parameters = Object.entries(inputs)
    .map(
      ([name, value]) =>
        `<dat:InputParameter><dat:Value>${value}</dat:Value><dat:Name>${name}</dat:Name><dat:Required>false</dat:Required><dat:Output>false</dat:Output></dat:InputParameter>`,
    )
    .join("");

  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:dat="http://www.plexus-online.com/DataSource"><soapenv:Header/><soapenv:Body><dat:ExecuteDataSource><dat:ExecuteDataSourceRequest><dat:DataSourceKey>${key}</dat:DataSourceKey><dat:InputParameters>${parameters}</dat:InputParameters><dat:DataSourceName>?</dat:DataSourceName></dat:ExecuteDataSourceRequest></dat:ExecuteDataSource></soapenv:Body></soapenv:Envelope>`;
}

function soap(
  body: string,
  options: { action?: string; credentials?: { username: string; password: string } | null } = {},
) {
  return axios.post<string>(sandbox.soapUrl, body, {
    headers: {
      "Content-Type": "text/xml; charset=utf-8",
      SOAPAction: `"${options.action ?? ACTION}"`,
    },
    auth: options.credentials === null ? undefined : (options.credentials ?? auth),
    responseType: "text",
    validateStatus: () => true,
  });
}

type TColumn = { Name: string; Value: string };
type TResult = {
  Error: boolean;
  ErrorNo: number;
  Message: string;
  ResultSets: {
    ResultSet?: { RowCount: number; Rows: { Row: { Columns: { Column: TColumn[] } }[] } };
  };
};

const parser = new XMLParser({
  removeNSPrefix: true,
  isArray: (name) => name === "Row" || name === "Column",
});

function result(xml: string, operation = "ExecuteDataSource"): TResult {
  const parsed = parser.parse(xml) as {
    Envelope: { Body: Record<string, Record<string, TResult>> };
  };

  return parsed.Envelope.Body[`${operation}Response`]![`${operation}Result`]!;
}

function rows(outcome: TResult): Record<string, string>[] {
  return (outcome.ResultSets.ResultSet?.Rows.Row ?? []).map((row) =>
    Object.fromEntries(
      row.Columns.Column.map((column) => [column.Name, String(column.Value ?? "")]),
    ),
  );
}

describe("Classic SOAP ExecuteDataSource", () => {
  it("answers 401 with a Basic challenge without or with wrong credentials", async () => {
    for (const credentials of [null, { username: auth.username, password: "wrong" }]) {
      const response = await soap(envelope(CUSTOMER_LIST_DATA_SOURCE, {}), { credentials });
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toContain("Basic");
    }
  });

  it("runs the customer list with a filter and returns ResultSets/Rows/Columns as strings", async () => {
    const response = await soap(
      envelope(CUSTOMER_LIST_DATA_SOURCE, { Customer_Code: customer.code }),
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toContain("text/xml");
    const outcome = result(response.data);
    expect(outcome).toMatchObject({ Error: false, ErrorNo: 200 });
    expect(outcome.ResultSets.ResultSet!.RowCount).toBe(1);
    expect(rows(outcome)[0]).toMatchObject({ Customer_Code: customer.code, Name: customer.name });

    const all = result((await soap(envelope(CUSTOMER_LIST_DATA_SOURCE, {}))).data);
    expect(rows(all)).toHaveLength(80);
  });

  it("runs the sales-order list through ExecuteDataSourcePost with delimited parameters", async () => {
    const body = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ExecuteDataSourcePost xmlns="http://www.plexus-online.com/DataSource"><dataSourceKey>${SALES_ORDER_LIST_DATA_SOURCE}</dataSourceKey><parameterNames>@Customer_Code</parameterNames><parameterValues>${customer.code}</parameterValues><delimeter>,</delimeter></ExecuteDataSourcePost></soap:Body></soap:Envelope>`;
    const response = await soap(body, { action: `${ACTION}Post` });
    const outcome = result(response.data, "ExecuteDataSourcePost");
    expect(outcome.Error).toBe(false);
    const orders = rows(outcome);
    expect(orders.length).toBe(sandbox.store().plant.orderCount(2));
    expect(orders.every((order) => order.Customer_Code === customer.code)).toBe(true);
  });

  it("reports data-source errors inside the result, and unreadable requests as SOAP faults", async () => {
    const unknown = result((await soap(envelope(999, {}))).data);
    expect(unknown).toMatchObject({ Error: true, ErrorNo: 404 });
    const limited = { username: "Limited@plex.com", password: "limited-password" };
    const denied = result(
      (await soap(envelope(SALES_ORDER_LIST_DATA_SOURCE, {}), { credentials: limited })).data,
    );
    expect(denied).toMatchObject({ Error: true, ErrorNo: 403 });
    const badInput = result((await soap(envelope(CUSTOMER_LIST_DATA_SOURCE, { Nope: "1" }))).data);
    expect(badInput).toMatchObject({ Error: true, ErrorNo: 400 });

    const wrongAction = await soap(envelope(CUSTOMER_LIST_DATA_SOURCE, {}), {
      action: "urn:Other",
    });
    expect(wrongAction.status).toBe(500);
    expect(wrongAction.data).toContain("<faultcode>soap:Client</faultcode>");
    expect(wrongAction.data).toContain("SOAPAction");
    const malformed = await soap("<soapenv:Envelope><oops>");
    expect(malformed.status).toBe(500);
    expect(malformed.data).toContain("soap:Client");
  });
});

describe("UX data-source API", () => {
  const execute = (
    id: number,
    body: unknown,
    query = "",
    credentials: object | null = auth,
    pcn?: string,
  ) =>
    axios.post(
      `${pcn === undefined ? sandbox.uxBaseUrl : `${sandbox.url}/ux/${pcn}`}/api/datasources/${id}/execute${query}`,
      body,
      {
        auth:
          credentials === null
            ? undefined
            : (credentials as { username: string; password: string }),
        validateStatus: () => true,
      },
    );

  it("answers format=2 with rows as objects", async () => {
    const response = await execute(
      CUSTOMER_LIST_DATA_SOURCE,
      { Customer_Code: customer.code },
      "?format=2",
    );
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({
      outputs: {},
      rowLimitedExceeded: false,
      transactionNo: expect.any(String) as string,
    });
    expect((response.data as { rows: Record<string, unknown>[] }).rows).toEqual([
      expect.objectContaining({
        Customer_Code: customer.code,
        Customer_No: expect.any(Number) as number,
      }),
    ]);
  });

  it("answers the default format with one table of columns and rows, flagging truncation", async () => {
    const response = await execute(CUSTOMER_LIST_DATA_SOURCE, { inputs: {} });
    const data = response.data as {
      tables: { columns: string[]; rows: unknown[][] }[];
      rowLimitedExceeded: boolean;
    };
    expect(data.tables).toHaveLength(1);
    expect(data.tables[0]!.columns[1]).toBe("Customer_Code");
    expect(data.tables[0]!.rows).toHaveLength(50);
    expect(data.rowLimitedExceeded).toBe(true);
    const pcnNumber = await execute(
      SALES_ORDER_LIST_DATA_SOURCE,
      { Customer_Code: customer.code },
      "?format=2",
      auth,
      sandbox.tenant.pcn,
    );
    expect(pcnNumber.status).toBe(200);
  });

  it("answers documented errors", async () => {
    const expectError = (
      response: { status: number; data: unknown },
      status: number,
      code: string,
    ) => {
      expect(response.status).toBe(status);
      expect(response.data).toMatchObject({
        errors: [{ code }],
        transactionNo: expect.any(String) as string,
      });
    };
    expectError(
      await execute(CUSTOMER_LIST_DATA_SOURCE, {}, "?format=2", null),
      401,
      "USER_ACCESS_DENIED",
    );
    expectError(
      await execute(CUSTOMER_LIST_DATA_SOURCE, {}, "?format=2", auth, "otherplant"),
      403,
      "CUSTOMER_ACCESS_DENIED",
    );
    expectError(
      await execute(CUSTOMER_LIST_DATA_SOURCE, { customer_code: "x" }, "?format=2"),
      400,
      "DATA_SOURCE_INPUT_NOT_FOUND",
    );
    expectError(
      await execute(CUSTOMER_LIST_DATA_SOURCE, { Modified_Date_Begin: "2026-11-01" }, "?format=2"),
      400,
      "DATA_SOURCE_INPUT_FORMAT_INVALID",
    );
    expectError(
      await execute(CUSTOMER_LIST_DATA_SOURCE, { Customer_Code: 5 }, "?format=2"),
      400,
      "DATA_SOURCE_INPUT_TYPE_MISMATCH",
    );
    expectError(await execute(4242, {}, "?format=2"), 400, "DATA_SOURCE_NOT_FOUND");
    expectError(
      await execute(SALES_ORDER_LIST_DATA_SOURCE, {}, "?format=2", {
        username: "Limited@plex.com",
        password: "limited-password",
      }),
      403,
      "DATA_SOURCE_ACCESS_DENIED",
    );
    const get = await axios.get(
      `${sandbox.uxBaseUrl}/api/datasources/${CUSTOMER_LIST_DATA_SOURCE}/execute`,
      { auth, validateStatus: () => true },
    );
    expectError(get, 405, "METHOD_NOT_ALLOWED");
  });

  it("lists and describes the data sources a user may call", async () => {
    const search = await axios.get<{ id: number }[]>(
      `${sandbox.uxBaseUrl}/api/datasources/search?name=sales`,
      { auth },
    );
    expect(search.data.map((source) => source.id)).toEqual([SALES_ORDER_LIST_DATA_SOURCE]);
    const meta = await axios.get<{ inputs: { name: string }[] }>(
      `${sandbox.uxBaseUrl}/api/datasources/${CUSTOMER_LIST_DATA_SOURCE}`,
      { auth },
    );
    expect(meta.data.inputs.map((input) => input.name)).toContain("Modified_Date_Begin");
  });
});
