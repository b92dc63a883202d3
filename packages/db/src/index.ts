export {
  createPrismaClient,
  pingDatabase,
  purgeConnections,
  type TDbOptions,
  type TPrisma,
} from "./client.js";
export { databaseFieldsFromEnv, parseDatabaseUrl, type TDatabaseFields } from "./database-url.js";
export { Prisma } from "./generated/prisma/client.js";
export type * from "./generated/prisma/models.js";
