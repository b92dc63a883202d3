/**
 * mailchimp-sandbox service entry point: reads the environment, starts the sandbox on
 * HTTP_PORT (8092) and stops it on SIGTERM/SIGINT. See README.md for paths and the control API.
 */
import { createLogger, loadEnvOrExit } from "@ml-connector/runtime";

import { ZEnv } from "./env.js";
import { startMailchimpSandbox } from "./sandbox.server.js";

const env = loadEnvOrExit("mailchimp-sandbox", ZEnv);
const log = createLogger({ service: "mailchimp-sandbox", level: env.LOG_LEVEL });

try {
  const sandbox = await startMailchimpSandbox({
    logger: log,
    host: env.HTTP_HOST,
    port: env.HTTP_PORT,
    publicUrl: env.MAILCHIMP_SANDBOX_PUBLIC_URL,
    seed: env.MAILCHIMP_SANDBOX_SEED,
    latency: {
      perRequestMs: env.MAILCHIMP_SANDBOX_LATENCY_MS,
      perBatchMemberMs: env.MAILCHIMP_SANDBOX_LATENCY_PER_MEMBER_MS,
    },
    batches: { operationsPerSecond: env.MAILCHIMP_SANDBOX_BATCH_OPS_PER_SECOND },
    connections: {
      maxPerAccount: env.MAILCHIMP_SANDBOX_MAX_CONNECTIONS,
      overloadResponse: env.MAILCHIMP_SANDBOX_OVERLOAD_RESPONSE,
    },
    webhooks:
      env.MAILCHIMP_SANDBOX_WEBHOOK_RETRY_MS === undefined
        ? {}
        : { retryScheduleMs: env.MAILCHIMP_SANDBOX_WEBHOOK_RETRY_MS },
    defaults: { apiKey: env.MAILCHIMP_SANDBOX_API_KEY },
  });
  log.info(
    { url: sandbox.url, apiBase: sandbox.baseUrlFor(sandbox.defaults?.dc ?? "us21") },
    "sandbox ready",
  );

  const stop = (signal: string) => {
    log.info({ signal }, "shutdown started");
    sandbox
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
} catch (err) {
  log.fatal({ err, port: env.HTTP_PORT }, "sandbox failed to start");
  process.exit(1);
}
