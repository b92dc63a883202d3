/**
 * The official Marketing API spec, as far as the sandbox serves it (spec/marketing.subset.json,
 * extracted by src/cli/extract-spec.cli.ts). Request validation and the contract tests read their
 * schemas from here, so the sandbox never carries a hand-written copy of Mailchimp's shapes.
 */
import { readFileSync } from "node:fs";

import type { THttpMethod } from "./served-operations.js";

export type TJsonSchema = { [keyword: string]: unknown };

export type TSpecParameter = {
  name: string;
  in: "query" | "path" | "header";
  required?: boolean;
  schema?: TJsonSchema;
};

export type TSpecOperation = {
  method: THttpMethod;
  path: string;
  parameters: TSpecParameter[];
  requestBody?: TJsonSchema;
  /** Success responses by status code; undefined schema = no body (204). */
  responses: Record<string, TJsonSchema | undefined>;
};

type TRawOperation = {
  parameters?: TSpecParameter[];
  requestBody?: { content?: { "application/json"?: { schema?: TJsonSchema } } };
  responses?: Record<string, { content?: { "application/json"?: { schema?: TJsonSchema } } }>;
};

type TRawSubset = {
  info: { version: string };
  paths: Record<string, Partial<Record<THttpMethod, TRawOperation>>>;
  components: { schemas: { ProblemDetailDocument: TJsonSchema } };
};

const SUBSET_FILE = new URL("../../spec/marketing.subset.json", import.meta.url);

let cached: MarketingSpec | undefined;

export class MarketingSpec {
  readonly version: string;
  readonly problemSchema: TJsonSchema;
  private readonly operations = new Map<string, TSpecOperation>();

  constructor(raw: TRawSubset) {
    this.version = raw.info.version;
    this.problemSchema = raw.components.schemas.ProblemDetailDocument;
    for (const [path, item] of Object.entries(raw.paths)) {
      for (const [method, operation] of Object.entries(item) as [THttpMethod, TRawOperation][]) {
        this.operations.set(key(method, path), toOperation(method, path, operation));
      }
    }
    this.addProductUpsert();
  }

  static load(): MarketingSpec {
    cached ??= new MarketingSpec(JSON.parse(readFileSync(SUBSET_FILE, "utf8")) as TRawSubset);

    return cached;
  }

  operation(method: THttpMethod, path: string): TSpecOperation | undefined {
    return this.operations.get(key(method, path));
  }

  all(): TSpecOperation[] {
    return [...this.operations.values()];
  }

  /**
   * Spec 3.0.55 has no PUT on products, but the current official SDK does
   * (UpsertStoreProductEcommerceRequest, reference/mailchimp-api.md §4). Its body is the product
   * body of POST, so the sandbox validates it with that schema.
   */
  private addProductUpsert(): void {
    const path = "/ecommerce/stores/{store_id}/products/{product_id}";
    const create = this.operation("post", "/ecommerce/stores/{store_id}/products");
    const read = this.operation("get", path);
    if (create === undefined || read === undefined) return;

    this.operations.set(key("put", path), {
      method: "put",
      path,
      parameters: read.parameters.filter((parameter) => parameter.in === "path"),
      requestBody: create.requestBody,
      responses: { "200": read.responses["200"] },
    });
  }
}

function key(method: THttpMethod, path: string): string {
  return `${method} ${path}`;
}

function toOperation(method: THttpMethod, path: string, raw: TRawOperation): TSpecOperation {
  const responses: Record<string, TJsonSchema | undefined> = {};
  for (const [code, response] of Object.entries(raw.responses ?? {})) {
    responses[code] = response.content?.["application/json"]?.schema;
  }

  return {
    method,
    path,
    parameters: raw.parameters ?? [],
    requestBody: raw.requestBody?.content?.["application/json"]?.schema,
    responses,
  };
}
