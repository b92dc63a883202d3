import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import allowList from "./plex-query-params.generated.json" with { type: "json" };
import { PLEX_GET_PATHS } from "./plex-paths.js";

const SPEC = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "..",
  "shared",
  "specs",
  "plex-connect.openapi.yaml",
);

type TSpec = { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };

describe("the Plex query-parameter allow-list", () => {
  it("matches the published spec for every path the connector reads", () => {
    const spec = parse(readFileSync(SPEC, "utf8")) as TSpec;

    for (const path of PLEX_GET_PATHS) {
      const published = (spec.paths[path]?.get?.parameters ?? [])
        .filter((parameter) => parameter.in === "query")
        .map((parameter) => parameter.name)
        .sort();
      expect((allowList as Record<string, string[]>)[path], path).toEqual(published);
    }
  });
});
