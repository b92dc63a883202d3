/**
 * Writes src/plex-query-params.generated.json: for every Plex Connect GET path the connector
 * calls, the query parameter names the published spec declares. Plex silently ignores unknown
 * parameters (a typo pulls the whole table), so the client refuses any name not on this list.
 *
 * Source: ../shared/specs/plex-connect.openapi.yaml (generated from the developer portal).
 * Run: pnpm --filter @ml-connector/plex-client generate:query-params
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { parse } from "yaml";

import { PLEX_GET_PATHS } from "../src/plex-paths.js";

type TSpec = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
};

const root = join(import.meta.dirname, "..", "..", "..");
const specPath =
  process.argv[2] ?? join(root, "..", "shared", "specs", "plex-connect.openapi.yaml");
const spec = parse(readFileSync(specPath, "utf8")) as TSpec;

const allowList: Record<string, string[]> = {};
for (const path of PLEX_GET_PATHS) {
  const operation = spec.paths[path]?.get;
  if (operation === undefined) throw new Error(`${path} has no GET operation in the spec`);
  allowList[path] = (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "query")
    .map((parameter) => parameter.name)
    .sort();
}

const target = join(import.meta.dirname, "..", "src", "plex-query-params.generated.json");
writeFileSync(target, `${JSON.stringify(allowList, null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(allowList).length} paths to ${target}\n`);
