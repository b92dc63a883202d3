// Prisma CLI configuration. Runs migrations through the WebAssembly schema engine, so no native
// engine is ever downloaded (air-gapped plants, and this build machine). See shared ENVIRONMENT.md.
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg-migrate";
import { defineConfig } from "prisma/config";

import { databaseFieldsFromEnv } from "./src/database-url.js";

// The schema reads DATABASE_URL; `prisma generate` needs no database, but without a value the CLI
// cannot read the schema and falls back to downloading a native engine. Remember what the operator
// really configured, so migrations never run against the placeholder.
const configuredDatabaseUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL ??= "postgresql://generate-only@127.0.0.1:5432/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "../../prisma/schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "../../prisma/migrations") },
  // Built from separate fields, never a connection string: with a connection string the adapter's
  // temporary shadow database silently becomes the main one.
  adapter: () =>
    Promise.resolve(new PrismaPg(databaseFieldsFromEnv({ DATABASE_URL: configuredDatabaseUrl }))),
});
