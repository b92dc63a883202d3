/**
 * The one way apps get a Prisma client: no connection at import time, a driver adapter instead of
 * Prisma's native engine (see shared ENVIRONMENT.md), and a pool size the caller chooses.
 */
import { PrismaPg } from "@prisma/adapter-pg";

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

export function createPrismaClient(options: TDbOptions): PrismaClient {
  const fields = parseDatabaseUrl(options.databaseUrl);
  const adapter = new PrismaPg({
    ...fields,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    application_name: "ml-connector",
  });

  return new PrismaClient({ adapter });
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
