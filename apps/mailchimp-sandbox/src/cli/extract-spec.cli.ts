/**
 * Regenerates spec/marketing.subset.json from Mailchimp's official Marketing API spec (OpenAPI 3.0,
 * version 3.0.55, see /work/shared/specs/README.md for its provenance). The sandbox validates
 * requests and the contract tests validate responses against this subset. Usage:
 *
 *   pnpm --filter @ml-connector/mailchimp-sandbox spec:extract [path/to/official.json]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { SERVED_OPERATIONS } from "../spec/served-operations.js";
import { extractSubset, isObject, type TJsonObject } from "../spec/spec-extraction.js";

const DEFAULT_SOURCE = "/work/shared/specs/mailchimp-marketing.openapi.json";
const TARGET = fileURLToPath(new URL("../../spec/marketing.subset.json", import.meta.url));

const sourcePath = process.argv[2] ?? DEFAULT_SOURCE;
const source = JSON.parse(readFileSync(sourcePath, "utf8")) as TJsonObject;
const subset = extractSubset(source);
writeFileSync(TARGET, `${JSON.stringify(subset)}\n`);

const missing = SERVED_OPERATIONS.filter(({ method, path }) => {
  const item = (subset.paths as TJsonObject)[path];

  return !isObject(item) || item[method] === undefined;
});
console.log(
  `wrote ${TARGET}: ${SERVED_OPERATIONS.length - missing.length} operations` +
    (missing.length > 0
      ? `; not in the official spec: ${missing.map((op) => `${op.method} ${op.path}`).join(", ")}`
      : ""),
);
