/**
 * Test helper: the Plex Connect spec (../shared/specs/plex-connect.openapi.yaml), parsed with a
 * real YAML parser, with $ref resolution for the parts the contract tests read.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { parse } from "yaml";

type TSchema = {
  $ref?: string;
  type?: string;
  format?: string;
  items?: TSchema;
  properties?: Record<string, TSchema>;
};
type TParameter = { name: string; in: string; schema: TSchema };
type TOperation = {
  parameters?: TParameter[];
  responses?: Record<string, { content?: Record<string, { schema: TSchema }> }>;
};
type TSpec = {
  paths: Record<string, Record<string, TOperation>>;
  components: { schemas: Record<string, TSchema> };
};

export const SPEC_PATH = fileURLToPath(
  new URL("../../../../../shared/specs/plex-connect.openapi.yaml", import.meta.url),
);

let cached: TSpec | undefined;

export function loadSpec(): TSpec {
  cached ??= parse(readFileSync(SPEC_PATH, "utf8"), { maxAliasCount: -1 }) as TSpec;

  return cached;
}

export function resolve(schema: TSchema | undefined): TSchema | undefined {
  let current = schema;
  while (current?.$ref !== undefined) {
    current = loadSpec().components.schemas[current.$ref.split("/").pop()!];
  }

  return current;
}

export function operation(path: string, method: string): TOperation | undefined {
  return loadSpec().paths[path]?.[method];
}

/** Properties of the 200/201 JSON body (items of an array body). */
export function responseProperties(
  path: string,
  method: string,
  status: string,
): Record<string, TSchema> {
  const schema = resolve(
    operation(path, method)?.responses?.[status]?.content?.["application/json"]?.schema,
  );
  const body = schema?.type === "array" ? resolve(schema.items) : schema;

  return body?.properties ?? {};
}

export function queryParameters(path: string, method = "get"): Map<string, TSchema> {
  const params = new Map<string, TSchema>();
  for (const parameter of operation(path, method)?.parameters ?? []) {
    if (parameter.in === "query") params.set(parameter.name, resolve(parameter.schema) ?? {});
  }

  return params;
}
