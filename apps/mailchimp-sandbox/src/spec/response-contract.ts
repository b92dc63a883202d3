/**
 * Contract checks for responses: a body validates against the official spec's response schema
 * for its operation, with two adjustments made on purpose:
 * - strict: every object that lists its `properties` refuses any other property, so a field the
 *   sandbox invents or misspells fails the check (the spec itself leaves objects open);
 * - `date-time` also accepts "", which Mailchimp really sends for unset times (recorded member
 *   responses: "timestamp_signup": "").
 * Exported so other packages can hold their own fixtures to the same contract.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { createRequire } from "node:module";

import { MarketingSpec, type TJsonSchema } from "./marketing-spec.js";
import type { THttpMethod } from "./served-operations.js";

const addFormats = createRequire(import.meta.url)("ajv-formats") as (ajv: Ajv) => Ajv;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export type TContractResult = { valid: boolean; errors: string[] };

export class ResponseContract {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly spec: MarketingSpec = MarketingSpec.load()) {
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addFormat("date-time", (value: string) => value === "" || RFC3339.test(value));
    this.ajv.addFormat("float", true);
    this.ajv.addFormat("Promo date-time", true);
  }

  /** Checks a success body of `method path` (spec template), or a problem body for status ≥ 400. */
  check(method: THttpMethod, path: string, status: number, body: unknown): TContractResult {
    const operation = this.spec.operation(method, path);
    if (operation === undefined)
      return { valid: false, errors: [`${method} ${path} is not in the spec`] };

    if (status >= 400) return this.run(`problem`, this.spec.problemSchema, body);
    if (!(String(status) in operation.responses)) {
      return {
        valid: false,
        errors: [`status ${status} is not a documented success of ${method} ${path}`],
      };
    }
    const schema = operation.responses[String(status)];
    if (schema === undefined) {
      return body === undefined || body === ""
        ? { valid: true, errors: [] }
        : { valid: false, errors: [`status ${status} has no body in the spec`] };
    }

    return this.run(`${method} ${path} ${status}`, schema, body);
  }

  private run(key: string, schema: TJsonSchema, body: unknown): TContractResult {
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(closeObjects(structuredClone(schema)));
      this.compiled.set(key, validate);
    }
    const valid = validate(body);

    return {
      valid,
      errors: (validate.errors ?? []).map(
        (error) =>
          `${error.instancePath || "/"} ${error.message ?? "invalid"} ` +
          JSON.stringify(error.params),
      ),
    };
  }
}

/** Adds `additionalProperties: false` wherever an object lists properties and says nothing else. */
function closeObjects(schema: unknown): TJsonSchema {
  walk(schema);

  return schema as TJsonSchema;
}

function walk(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(walk);
    return;
  }
  if (typeof node !== "object" || node === null) return;

  const schema = node as Record<string, unknown>;
  const combined = ["allOf", "anyOf", "oneOf"].some((keyword) => keyword in schema);
  if (typeof schema.properties === "object" && !("additionalProperties" in schema) && !combined) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) walk(value);
}
