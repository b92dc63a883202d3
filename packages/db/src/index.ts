export {
  bulkSql,
  closeDatabase,
  createPrismaClient,
  pingDatabase,
  purgeConnections,
  type TDbOptions,
  withBulkTransaction,
  type TPrisma,
  type TSqlPool,
} from "./client.js";
export { databaseFieldsFromEnv, parseDatabaseUrl, type TDatabaseFields } from "./database-url.js";
export { Prisma } from "./generated/prisma/client.js";
export type * from "./generated/prisma/models.js";
