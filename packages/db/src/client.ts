/**
 * The one way apps get a Prisma client: no connection at import time, a driver adapter instead of
 * Prisma's native engine (see shared ENVIRONMENT.md), and a pool size the caller chooses.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "./generated/prisma/client.js";
import { parseDatabaseUrl } from "./database-url.js";

export type TDbOptions = {
  databaseUrl: string;
  /** Connections this process may hold; the sum over replicas must stay under Postgres' limit. */
  poolMax?: number;
  /** Milliseconds a statement may run before Postgres cancels it. */
  statementTimeoutMs?: number;
};

export type TPrisma = PrismaClient;

/**
 * Bulk statements (thousands of rows in, thousands out) bypass Prisma's JavaScript query engine,
 * whose per-row work dominated backfills; they run on a small node-postgres pool made from the
 * same settings. Everything else goes through Prisma.
 */
const bulkPools = new WeakMap<
  PrismaClient,
  { fields: ReturnType<typeof parseDatabaseUrl>; pool?: pg.Pool }
>();

export type TSqlPool = Pick<pg.Pool, "query">;

export function bulkSql(prisma: PrismaClient): TSqlPool {
  const entry = bulkPools.get(prisma);
  if (entry === undefined) throw new Error("this Prisma client was not made by createPrismaClient");
  if (entry.pool === undefined) {
    entry.pool = new pg.Pool({ ...entry.fields, max: 4, application_name: "ml-connector-bulk" });
    // Postgres ending an idle connection (restart, failover) makes the pool drop it and emit
    // 'error'; unheard, that event would end the process. Nothing is lost by ignoring it: the next
    // query opens a new connection, and queries in flight fail with their own error.
    entry.pool.on("error", ignoreConnectionError);
  }

  return entry.pool;
}

function ignoreConnectionError(): void {}

/**
 * Runs bulk statements in one transaction on one connection: one commit (one WAL flush) for all
 * of them, and all or nothing.
 */
export async function withBulkTransaction<T>(
  prisma: PrismaClient,
  work: (sql: TSqlPool) => Promise<T>,
): Promise<T> {
  const pool = bulkSql(prisma) as pg.Pool;
  const client = await pool.connect();
  // A checked-out connection that breaks between statements emits 'error' as well; the next
  // statement fails and the transaction with it.
  client.on("error", ignoreConnectionError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");

    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.removeListener("error", ignoreConnectionError);
    client.release();
  }
}

/** Disconnects Prisma and the bulk pool. */
export async function closeDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$disconnect();
  const entry = bulkPools.get(prisma);
  await entry?.pool?.end();
  if (entry !== undefined) entry.pool = undefined;
}

export function createPrismaClient(options: TDbOptions): PrismaClient {
  const fields = parseDatabaseUrl(options.databaseUrl);
  const adapter = new PrismaPg({
    ...fields,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    application_name: "ml-connector",
  });

  const prisma = new PrismaClient({ adapter });
  bulkPools.set(prisma, { fields });

  return prisma;
}

/** Readiness probe: one round trip, bounded so a hung database cannot hang the probe. */
export async function pingDatabase(prisma: PrismaClient, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database ping timed out")), timeoutMs);
  });
  try {
    await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Removes connections and everything that hangs off them, audit trail included. The audit table
 * refuses deletes unless the transaction says it means it (see the first migration); this is for
 * tests and for erasing a connection on request, never for routine work.
 */
export async function purgeConnections(prisma: PrismaClient, connectionIds: string[]) {
  if (connectionIds.length === 0) return;
  await prisma.$transaction([
    prisma.$executeRawUnsafe("SET LOCAL ml_connector.allow_audit_delete = 'on'"),
    prisma.connection.deleteMany({ where: { id: { in: connectionIds } } }),
  ]);
}
