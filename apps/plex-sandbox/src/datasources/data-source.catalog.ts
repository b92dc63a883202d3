/**
 * The data sources the sandbox tenant exposes to its web-service users, through Classic SOAP and
 * the UX data-source API alike (reference/plex-api.md §3). Real data sources are tenant-specific
 * stored procedures with integer keys and Title_Case column names; these two are the sandbox's
 * own, shaped the same way: a customer list and a sales-order list, with optional filters.
 */
import { parsePlexDateTime } from "../http/query.parser.js";
import { inWindow, type PlantStore, type TRecord } from "../store/plant.store.js";

export type TDataSourceType = "string" | "int32" | "date" | "decimal" | "bool";
export type TDataSourceValue = string | number | boolean | null;

export type TDataSourceInput = {
  name: string;
  type: TDataSourceType;
  required: boolean;
  nullable: boolean;
};
export type TDataSourceColumn = { name: string; type: TDataSourceType };

export type TDataSource = {
  id: number;
  name: string;
  description: string;
  inputs: TDataSourceInput[];
  columns: TDataSourceColumn[];
  rows: (store: PlantStore, inputs: Map<string, TDataSourceValue>) => Iterable<TDataSourceValue[]>;
};

export class DataSourceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export const CUSTOMER_LIST_DATA_SOURCE = 230_411;
export const SALES_ORDER_LIST_DATA_SOURCE = 230_412;

const FAR_FUTURE_MS = Date.UTC(2136, 0, 1);

function text(value: TDataSourceValue | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function dateMs(value: TDataSourceValue | undefined): number | undefined {
  return typeof value === "string" ? parsePlexDateTime(value) : undefined;
}

function customerRows(
  store: PlantStore,
  inputs: Map<string, TDataSourceValue>,
): Iterable<TDataSourceValue[]> {
  const code = text(inputs.get("Customer_Code"));
  const status = text(inputs.get("Customer_Status"));
  const window = {
    field: "modifiedDate",
    beginMs: dateMs(inputs.get("Modified_Date_Begin")),
    endMs: dateMs(inputs.get("Modified_Date_End")),
  };
  const windowed = window.beginMs !== undefined || window.endMs !== undefined;
  let candidates: Iterable<TRecord> = store.generated.customers();
  if (code !== undefined) {
    const id = store.customerIdOfCode(code);
    const record = id === undefined ? undefined : store.generated.byId("customer", id);
    candidates = record === undefined ? [] : [record];
  } else if (windowed) {
    candidates = store.generated.modifiedWindow(
      "customer",
      window.beginMs ?? 0,
      window.endMs ?? FAR_FUTURE_MS,
    );
  }
  const records = store.list("customer", candidates, (record) => {
    if (code !== undefined && record.code !== code) return false;
    if (status !== undefined && record.status !== status) return false;
    return !windowed || inWindow(record, window);
  });

  return mapRows(records, (record) => {
    const industries = Array.isArray(record.industries) ? record.industries : [];
    return [
      store.integerKey("customer", String(record.id)),
      String(record.code),
      String(record.name),
      String(record.status),
      (record.type as string | null) ?? null,
      industries.length > 0 ? String(industries[0]) : null,
      (record.phone as string | null) ?? null,
      (record.email as string | null) ?? null,
      (record.region as string | null) ?? null,
      String(record.createdDate),
      String(record.modifiedDate),
    ];
  });
}

function* mapRows(records: Iterable<TRecord>, toRow: (record: TRecord) => TDataSourceValue[]) {
  for (const record of records) yield toRow(record);
}

function orderRows(
  store: PlantStore,
  inputs: Map<string, TDataSourceValue>,
): Iterable<TDataSourceValue[]> {
  const code = text(inputs.get("Customer_Code"));
  const status = text(inputs.get("Order_Status"));
  const orderWindow = {
    field: "orderDate",
    beginMs: dateMs(inputs.get("Order_Date_Begin")),
    endMs: dateMs(inputs.get("Order_Date_End")),
  };
  const modifiedWindow = {
    field: "modifiedDate",
    beginMs: dateMs(inputs.get("Modified_Date_Begin")),
    endMs: dateMs(inputs.get("Modified_Date_End")),
  };
  const byOrderDate = orderWindow.beginMs !== undefined || orderWindow.endMs !== undefined;
  const byModified = modifiedWindow.beginMs !== undefined || modifiedWindow.endMs !== undefined;
  const customerId = code === undefined ? undefined : store.customerIdOfCode(code);
  let candidates: Iterable<TRecord> = store.generated.ordersOf();
  if (code !== undefined) {
    const i = customerId === undefined ? undefined : store.customerIndexOf(customerId);
    candidates = i === undefined ? [] : store.generated.ordersOf(i);
  } else if (byModified) {
    candidates = store.generated.modifiedWindow(
      "order",
      modifiedWindow.beginMs ?? 0,
      modifiedWindow.endMs ?? FAR_FUTURE_MS,
    );
  }
  const records = store.list("order", candidates, (record) => {
    if (code !== undefined && record.customerId !== customerId) return false;
    if (status !== undefined && record.status !== status) return false;
    if (byOrderDate && !inWindow(record, orderWindow)) return false;
    return !byModified || inWindow(record, modifiedWindow);
  });

  return mapRows(records, (record) => {
    const customer = store.get("customer", String(record.customerId));
    const totals = store.orderTotals(String(record.id));
    return [
      store.integerKey("order", String(record.id)),
      String(record.orderNumber),
      (record.poNumber as string | null) ?? null,
      customer === undefined ? null : store.integerKey("customer", String(customer.id)),
      customer === undefined ? null : String(customer.code),
      String(record.orderDate),
      String(record.status),
      (record.type as string | null) ?? null,
      totals.lineCount,
      totals.total,
      "USD",
      String(record.modifiedDate),
    ];
  });
}

export const DATA_SOURCES: readonly TDataSource[] = [
  {
    id: CUSTOMER_LIST_DATA_SOURCE,
    name: "Sandbox_Customers_Get",
    description: "Customers with status, type, first industry, phone, e-mail and region.",
    inputs: [
      { name: "Customer_Code", type: "string", required: false, nullable: true },
      { name: "Customer_Status", type: "string", required: false, nullable: true },
      { name: "Modified_Date_Begin", type: "date", required: false, nullable: true },
      { name: "Modified_Date_End", type: "date", required: false, nullable: true },
    ],
    columns: [
      { name: "Customer_No", type: "int32" },
      { name: "Customer_Code", type: "string" },
      { name: "Name", type: "string" },
      { name: "Customer_Status", type: "string" },
      { name: "Customer_Type", type: "string" },
      { name: "Industry", type: "string" },
      { name: "Phone", type: "string" },
      { name: "Email", type: "string" },
      { name: "Region", type: "string" },
      { name: "Add_Date", type: "date" },
      { name: "Update_Date", type: "date" },
    ],
    rows: customerRows,
  },
  {
    id: SALES_ORDER_LIST_DATA_SOURCE,
    name: "Sandbox_Sales_Orders_Get",
    description: "Customer sales orders with status, line count and order total.",
    inputs: [
      { name: "Customer_Code", type: "string", required: false, nullable: true },
      { name: "Order_Status", type: "string", required: false, nullable: true },
      { name: "Order_Date_Begin", type: "date", required: false, nullable: true },
      { name: "Order_Date_End", type: "date", required: false, nullable: true },
      { name: "Modified_Date_Begin", type: "date", required: false, nullable: true },
      { name: "Modified_Date_End", type: "date", required: false, nullable: true },
    ],
    columns: [
      { name: "PO_Key", type: "int32" },
      { name: "Order_No", type: "string" },
      { name: "PO_No", type: "string" },
      { name: "Customer_No", type: "int32" },
      { name: "Customer_Code", type: "string" },
      { name: "Order_Date", type: "date" },
      { name: "Order_Status", type: "string" },
      { name: "Order_Type", type: "string" },
      { name: "Line_Count", type: "int32" },
      { name: "Order_Total", type: "decimal" },
      { name: "Currency_Code", type: "string" },
      { name: "Update_Date", type: "date" },
    ],
    rows: orderRows,
  },
];

export function findDataSource(id: number): TDataSource | undefined {
  return DATA_SOURCES.find((source) => source.id === id);
}

/**
 * Checks and converts raw inputs (JSON values from UX, strings from SOAP). Names are
 * case-sensitive (reference §3.2); unknown names, wrong types and bad dates are refused with the
 * documented codes.
 */
export function readInputs(
  source: TDataSource,
  raw: Record<string, unknown>,
  fromText: boolean,
): Map<string, TDataSourceValue> {
  const inputs = new Map<string, TDataSourceValue>();
  for (const [name, value] of Object.entries(raw)) {
    const def = source.inputs.find((input) => input.name === name);
    if (def === undefined) {
      throw new DataSourceError(
        "DATA_SOURCE_INPUT_NOT_FOUND",
        `Input '${name}' was not found.`,
        400,
      );
    }
    if (value === null || value === undefined || (fromText && value === "")) {
      if (!def.nullable) {
        throw new DataSourceError(
          "DATA_SOURCE_INPUT_NOT_NULLABLE",
          `Input '${name}' cannot be null.`,
          400,
        );
      }
      inputs.set(name, null);
      continue;
    }
    inputs.set(name, convertInput(def, value, fromText));
  }
  for (const def of source.inputs) {
    if (def.required && !inputs.has(def.name)) {
      throw new DataSourceError(
        "DATA_SOURCE_INPUT_REQUIRED",
        `Input '${def.name}' is required.`,
        400,
      );
    }
  }

  return inputs;
}

function convertInput(def: TDataSourceInput, value: unknown, fromText: boolean): TDataSourceValue {
  const mismatch = new DataSourceError(
    "DATA_SOURCE_INPUT_TYPE_MISMATCH",
    `Input '${def.name}' must be of type ${def.type}.`,
    400,
  );
  if (def.type === "int32") {
    const number = fromText && typeof value === "string" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number)) throw mismatch;
    return number;
  }
  if (typeof value !== "string") throw mismatch;
  if (def.type === "date" && parsePlexDateTime(value) === undefined) {
    throw new DataSourceError(
      "DATA_SOURCE_INPUT_FORMAT_INVALID",
      `Input '${def.name}' must be a date in the format YYYY-MM-DDThh:mm:ss.fffffffZ.`,
      400,
    );
  }

  return value;
}

export function hasAccess(dataSources: number[] | undefined, id: number): boolean {
  return dataSources === undefined || dataSources.includes(id);
}
