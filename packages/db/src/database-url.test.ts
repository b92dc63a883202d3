import { describe, expect, it } from "vitest";

import { databaseFieldsFromEnv, parseDatabaseUrl } from "./database-url.js";

describe("parseDatabaseUrl", () => {
  it("splits a URL into the fields the migration adapter needs", () => {
    expect(parseDatabaseUrl("postgresql://app:p%40ss@db.internal:6543/mlc")).toEqual({
      host: "db.internal",
      port: 6543,
      user: "app",
      password: "p@ss",
      database: "mlc",
    });
  });

  it("says what is wrong with a bad URL", () => {
    expect(() => parseDatabaseUrl("mysql://x@y/z")).toThrow("must use postgresql://");
    expect(() => parseDatabaseUrl("postgresql://x@y")).toThrow("names no database");
    expect(() => parseDatabaseUrl("not a url")).toThrow("not a valid URL");
    expect(() => databaseFieldsFromEnv({})).toThrow("DATABASE_URL is not set");
  });
});
