import { afterAll, describe, expect, it } from "vitest";

import { bulkSql, closeDatabase, createPrismaClient, withBulkTransaction } from "./client.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

/**
 * Postgres ending a connection (a restart, a failover, an administrator) is simulated by
 * terminating this test's own backend. Without an 'error' listener node-postgres re-emits the
 * broken connection's error as an uncaught exception, which would end the whole service (found by
 * tests/chaos postgres-restart); vitest reports such an exception as a failed run.
 */
describe("the bulk SQL pool when Postgres ends its connections", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });

  afterAll(() => closeDatabase(prisma));

  async function terminate(pid: number): Promise<void> {
    await prisma.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
    // Let the closed socket reach the client before the next step.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  it("survives an idle connection being ended and reconnects on the next query", async () => {
    const sql = bulkSql(prisma);
    const { rows } = await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await terminate(rows[0]!.pid);

    const again = await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });

  it("fails a transaction whose connection ends between statements, then works again", async () => {
    await expect(
      withBulkTransaction(prisma, async (sql) => {
        const { rows } = await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await terminate(rows[0]!.pid);

        return sql.query("SELECT 1");
      }),
    ).rejects.toThrow();

    const answer = await withBulkTransaction(prisma, (sql) =>
      sql.query<{ one: number }>("SELECT 1 AS one"),
    );
    expect(answer.rows[0]!.one).toBe(1);
  });
});
