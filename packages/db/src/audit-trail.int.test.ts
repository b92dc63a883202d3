import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { createPrismaClient, purgeConnections } from "./client.js";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

describe("the audit trail table", () => {
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const connectionId = `db-test-${randomUUID().slice(0, 8)}`;

  afterAll(async () => {
    await purgeConnections(prisma, [connectionId]);
    await prisma.$disconnect();
  });

  it("is append-only: the database refuses updates and deletes of history", async () => {
    await prisma.connection.create({
      data: { id: connectionId, name: "db test", plexBaseUrl: "http://plex.invalid" },
    });
    const event = await prisma.auditEvent.create({
      data: { connectionId, entity: "customer", externalId: "c-1", stage: "received" },
    });

    await expect(
      prisma.auditEvent.update({ where: { id: event.id }, data: { stage: "delivered" } }),
    ).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(prisma.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(
      /append-only \(DELETE refused\)/,
    );
    expect((await prisma.auditEvent.findUnique({ where: { id: event.id } }))?.stage).toBe(
      "received",
    );
  });
});
