/**
 * A throw-away database on the machine's real Postgres (the server DATABASE_URL points at, or the
 * local default), so a test can start from an empty schema without touching mlc_test.
 */
import { randomBytes } from "node:crypto";

import pg from "pg";

const SERVER_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

export type TScratchDatabase = { url: string; drop: () => Promise<void> };

async function onServer(statement: string): Promise<void> {
  const admin = new URL(SERVER_URL);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(prefix: string): Promise<TScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
