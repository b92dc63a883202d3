/**
 * Start-up shared by the connector's services: parse configuration (exit 1 when it is wrong),
 * create the logger, the Postgres client and the service host with Redis and Postgres readiness
 * checks. Nothing connects before configuration is known to be good.
 */
import type { z } from "zod";

import { closeDatabase, createPrismaClient, pingDatabase, type TPrisma } from "@ml-connector/db";

import { ZCommonEnv, describeEnv, loadEnvOrExit, type TCommonEnv } from "./env.js";
import { createLogger, type Logger } from "./logger.js";
import { registerSecret } from "./secret-scrubber.js";
import { ServiceHost } from "./service-host.js";

export type TBootedService<E> = {
  env: E;
  log: Logger;
  host: ServiceHost;
  prisma: TPrisma;
};

/** Secret-looking configuration values are registered with the log scrubber at start-up. */
const SECRET_VARIABLE = /(KEY|SECRET|PASSWORD|TOKEN)/i;

export function bootService<S extends z.ZodType<TCommonEnv & { HTTP_PORT: number }>>(
  service: string,
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): TBootedService<z.infer<S>> {
  const env = loadEnvOrExit(service, schema, source) as z.infer<S> &
    TCommonEnv & {
      HTTP_PORT: number;
    };
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_VARIABLE.test(name) && typeof value === "string") registerSecret(value);
  }
  registerUrlPasswords([env.DATABASE_URL, env.REDIS_URL]);

  const log = createLogger({ service, level: env.LOG_LEVEL });
  log.debug({ config: describeEnv(env) }, "configuration loaded");

  const prisma = createPrismaClient({
    databaseUrl: env.DATABASE_URL,
    poolMax: env.DATABASE_POOL_MAX,
  });
  const host = new ServiceHost({ service, env, port: env.HTTP_PORT, log });
  host.addReadinessCheck("postgres", () => pingDatabase(prisma));
  host.onShutdown("resources", "postgres", () => closeDatabase(prisma));

  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason }, "unhandled promise rejection");
  });

  return { env, log, host, prisma };
}

function registerUrlPasswords(urls: string[]): void {
  for (const value of urls) {
    try {
      const password = decodeURIComponent(new URL(value).password);
      registerSecret(password);
    } catch {
      // Not a URL: nothing to register.
    }
  }
}

export { ZCommonEnv };
