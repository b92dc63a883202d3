/**
 * Turns DATABASE_URL into the discrete fields node-postgres takes. Prisma's migration adapter must
 * be built from fields: given a connection string, it opens its "shadow" pool on the main database.
 */
export type TDatabaseFields = {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
};

export function parseDatabaseUrl(databaseUrl: string): TDatabaseFields {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error("DATABASE_URL is not a valid URL (expected postgresql://user@host:port/db)");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new Error(`DATABASE_URL must use postgresql://, not ${url.protocol}//`);
  }

  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database === "") {
    throw new Error("DATABASE_URL names no database (add /<name> after the host)");
  }

  const fields: TDatabaseFields = {
    host: url.hostname || "127.0.0.1",
    port: url.port === "" ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username || "postgres"),
    database,
  };
  if (url.password !== "") fields.password = decodeURIComponent(url.password);

  return fields;
}

export function databaseFieldsFromEnv(env: NodeJS.ProcessEnv): TDatabaseFields {
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === "") {
    throw new Error("DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/mlc)");
  }

  return parseDatabaseUrl(databaseUrl);
}
