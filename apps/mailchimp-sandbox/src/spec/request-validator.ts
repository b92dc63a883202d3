/**
 * Validates request bodies and query strings against the official spec's schemas with ajv and
 * translates ajv's findings into the `errors[] {field, message}` Mailchimp answers. The messages
 * for `required` and `type` follow recorded Mailchimp answers (drewm/mailchimp-api#179:
 * "Required fields were not provided: email_address", "Schema describes string, NULL found
 * instead"); the others are the sandbox's own wording (README "Simulated quirks").
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { createRequire } from "node:module";

import { problems, type TFieldError } from "../http/api-problem.js";
import type { MarketingSpec, TJsonSchema, TSpecOperation } from "./marketing-spec.js";

// ajv-formats ships CommonJS whose default export NodeNext does not see as callable.
const addFormats = createRequire(import.meta.url)("ajv-formats") as (ajv: Ajv) => Ajv;

export type TQuery = Record<string, string>;

export class RequestValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<TSpecOperation, ValidateFunction>();

  constructor(private readonly spec: MarketingSpec) {
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false });
    addFormats(this.ajv);
    // Formats the spec names that ajv does not know: numbers typed "float" and promo dates.
    this.ajv.addFormat("float", true);
    this.ajv.addFormat("Promo date-time", true);
  }

  /** Throws ApiProblem 400 when the body or query string breaks the operation's schema. */
  validate(operation: TSpecOperation, body: unknown, query: TQuery): void {
    const errors = [...this.queryErrors(operation, query)];

    if (operation.requestBody !== undefined) {
      const validate = this.validatorFor(operation, operation.requestBody);
      // An absent body is what Mailchimp reports as NULL.
      if (!validate(body ?? null)) errors.push(...toFieldErrors(validate.errors ?? []));
    }
    if (errors.length > 0) throw problems.invalidResource(errors);
  }

  get specVersion(): string {
    return this.spec.version;
  }

  private validatorFor(operation: TSpecOperation, schema: TJsonSchema): ValidateFunction {
    let validate = this.compiled.get(operation);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.compiled.set(operation, validate);
    }

    return validate;
  }

  private *queryErrors(operation: TSpecOperation, query: TQuery): Generator<TFieldError> {
    for (const parameter of operation.parameters) {
      if (parameter.in !== "query") continue;
      const raw = query[parameter.name];
      if (raw === undefined) continue;

      const problem = queryValueProblem(parameter.schema ?? {}, raw);
      if (problem !== undefined) yield { field: parameter.name, message: problem };
    }
  }
}

function queryValueProblem(schema: TJsonSchema, raw: string): string | undefined {
  const type = schema.type;
  if (type === "integer") {
    if (!/^-?\d+$/.test(raw)) return `Schema describes integer, string found instead`;
    const value = Number(raw);
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      return `Value must be less than or equal to ${schema.maximum}`;
    }
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      return `Value must be greater than or equal to ${schema.minimum}`;
    }
  }
  if (type === "boolean" && !["true", "false", "1", "0"].includes(raw.toLowerCase())) {
    return "Schema describes boolean, string found instead";
  }
  if (Array.isArray(schema.enum) && type === "string" && !schema.enum.includes(raw)) {
    return `Value must be one of: ${schema.enum.join(", ")}`;
  }

  return undefined;
}

function dotted(instancePath: string): string {
  return instancePath
    .split("/")
    .filter((part) => part !== "")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";

  return typeof value;
}

function toFieldErrors(errors: ErrorObject[]): TFieldError[] {
  const missing = new Map<string, string[]>();
  const out: TFieldError[] = [];

  for (const error of errors) {
    const field = dotted(error.instancePath);
    const params = error.params as Record<string, unknown>;

    if (error.keyword === "required") {
      const names = missing.get(field) ?? [];
      names.push(String(params.missingProperty));
      missing.set(field, names);
      continue;
    }
    if (error.keyword === "type") {
      const expected = Array.isArray(params.type) ? params.type.join("|") : String(params.type);
      out.push({
        field,
        message: `Schema describes ${expected}, ${jsonTypeName(error.data)} found instead`,
      });
      continue;
    }
    if (error.keyword === "enum") {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      out.push({ field, message: `Value must be one of: ${allowed.join(", ")}` });
      continue;
    }
    if (error.keyword === "format") {
      out.push({ field, message: `Data does not match format '${String(params.format)}'` });
      continue;
    }
    out.push({ field, message: error.message ?? "Invalid value" });
  }

  const required = [...missing].map(([field, names]) => ({
    field,
    message: `Required fields were not provided: ${names.join(", ")}`,
  }));

  return [...required, ...out];
}
