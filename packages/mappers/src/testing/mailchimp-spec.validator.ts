/**
 * Test support: validates mapper output against the request-body schemas of the official
 * Mailchimp Marketing spec (3.0.55, /work/shared/specs/mailchimp-marketing.openapi.json, which
 * sits at ../shared/specs from the repository root). On top of the spec, objects that list their
 * properties are closed (`additionalProperties: false`, except where the spec says otherwise,
 * like `merge_fields`), so a misspelt or invented field fails instead of being ignored the way
 * the open spec schemas would let it.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// ajv-formats is CommonJS; its default export is not callable through NodeNext's ESM view.
const addFormats = createRequire(import.meta.url)("ajv-formats") as (ajv: Ajv) => Ajv;

/** src/testing → src → mappers → packages → repository root → ../shared/specs. */
export const SPEC_PATH = fileURLToPath(
  new URL("../../../../../shared/specs/mailchimp-marketing.openapi.json", import.meta.url),
);

type TJsonSchema = { [keyword: string]: unknown };
type TOperation = { requestBody?: { content?: { "application/json"?: { schema?: TJsonSchema } } } };
type TSpec = { paths: Record<string, Record<string, TOperation>> };

export type TRequestKind = "member" | "ecommerceCustomer" | "order" | "product" | "mergeField";

const OPERATIONS: Record<TRequestKind, [path: string, method: string]> = {
  member: ["/lists/{list_id}/members/{subscriber_hash}", "put"],
  ecommerceCustomer: ["/ecommerce/stores/{store_id}/customers/{customer_id}", "put"],
  order: ["/ecommerce/stores/{store_id}/orders", "post"],
  product: ["/ecommerce/stores/{store_id}/products", "post"],
  mergeField: ["/lists/{list_id}/merge-fields", "post"],
};

function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== "object") return schema;

  const result: TJsonSchema = {};
  for (const [key, value] of Object.entries(schema as TJsonSchema)) {
    result[key] =
      key === "properties"
        ? Object.fromEntries(
            Object.entries(value as TJsonSchema).map(([name, property]) => [
              name,
              closeObjects(property),
            ]),
          )
        : closeObjects(value);
  }
  if ("properties" in result && !("additionalProperties" in result)) {
    result.additionalProperties = false;
  }

  return result;
}

export class MailchimpSpecValidator {
  private readonly validators = new Map<TRequestKind, ValidateFunction>();

  constructor(specPath = SPEC_PATH) {
    if (!existsSync(specPath)) {
      throw new Error(
        `the Mailchimp spec is not at ${specPath}; the tests need /work/shared/specs ` +
          "(../shared/specs from the repository root)",
      );
    }
    const spec = JSON.parse(readFileSync(specPath, "utf8")) as TSpec;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);

    for (const [kind, [path, method]] of Object.entries(OPERATIONS) as [
      TRequestKind,
      [string, string],
    ][]) {
      const schema = spec.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;
      if (schema === undefined)
        throw new Error(`the spec has no request body for ${method} ${path}`);
      this.validators.set(kind, ajv.compile(closeObjects(schema) as TJsonSchema));
    }
  }

  /** The validation errors of `body` for that request, as readable lines; [] when valid. */
  errors(kind: TRequestKind, body: unknown): string[] {
    const validate = this.validators.get(kind)!;
    if (validate(body)) return [];

    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || "/"} ${error.message ?? error.keyword}`,
    );
  }
}
