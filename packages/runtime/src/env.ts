/**
 * Configuration is read once, at start-up, from the environment and validated with zod. A bad
 * value stops the process with exit code 1 and a message that names the variable, before any
 * connection is opened. Secret values are never echoed back in that message.
 */
import { z } from "zod";

/** Variables every service reads. Apps extend this with their own (see each app's env.ts). */
export const ZCommonEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // trace, debug, info, warn, error, fatal or silent
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // BullMQ queues and the shared rate limiters live here. Needs AOF and noeviction in production.
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  // Prefix of every BullMQ key; lets several deployments (or test runs) share one Redis.
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default("mlc"),
  // Postgres holding the audit trail, cursors and the credential vault.
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default("postgresql://postgres@127.0.0.1:5432/mlc"),
  // Connections this process may hold in its Postgres pool.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // Interface the health/metrics (and, for some apps, public) HTTP server binds.
  HTTP_HOST: z.string().default("0.0.0.0"),
  // Milliseconds a SIGTERM may take before in-flight jobs are handed back and the process exits.
  // Keep it below the Kubernetes terminationGracePeriodSeconds.
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(8_000),
});
export type TCommonEnv = z.infer<typeof ZCommonEnv>;

/** Names whose values are secrets: never printed, even when they are the invalid ones. */
const SECRET_NAME = /(KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL)/i;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** Validates `source` against `schema`; throws ConfigError listing every bad variable. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const given = source[name];
    const shown =
      given === undefined ? "not set" : SECRET_NAME.test(name) ? "value hidden" : `got "${given}"`;

    return `${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

/**
 * Runs a configuration step of a service's start-up (parsing the environment, loading keys); on
 * ConfigError, prints the problems as one JSON log line on stderr and exits 1, which is what an
 * orchestrator needs to see. Other errors propagate.
 */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const line = {
      level: "fatal",
      time: new Date().toISOString(),
      service,
      problems: err.problems,
      msg: "invalid configuration, exiting",
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  }
}

/** parseEnv for a service's entry point: exits 1 with every problem listed when it fails. */
export function loadEnvOrExit<S extends z.ZodType>(
  service: string,
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  return configOrExit(service, () => parseEnv(schema, source));
}

/**
 * A copy of the parsed configuration that is safe to log: secret-named values hidden, passwords
 * removed from URLs.
 */
export function describeEnv(env: Record<string, unknown>): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_NAME.test(name)) {
      described[name] = value === undefined || value === "" ? value : "[hidden]";
      continue;
    }
    described[name] = typeof value === "string" ? withoutUrlPassword(value) : value;
  }

  return described;
}

export function withoutUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.password === "") return value;
    url.password = "hidden";

    return url.toString();
  } catch {
    return value;
  }
}
