export {
  ConfigError,
  configOrExit,
  ZCommonEnv,
  describeEnv,
  loadEnvOrExit,
  parseEnv,
  withoutUrlPassword,
  type TCommonEnv,
} from "./env.js";
export {
  abortable,
  JobHandedBackError,
  type TJobContext,
  type TJobHandlers,
} from "./job-processor.js";
export {
  REDACT_PATHS,
  createLogger,
  maskEmail,
  type Logger,
  type TLoggerOptions,
} from "./logger.js";
export { createServiceMetrics, type TServiceMetrics } from "./metrics.js";
export {
  closeRedis,
  createRedis,
  pingRedis,
  redisOptionsFor,
  waitForRedis,
  type TRedisRole,
} from "./redis.js";
export { forgetSecret, registerSecret, scrubSecrets, scrubbedMessage } from "./secret-scrubber.js";
export {
  ServiceHost,
  type TServiceHostOptions,
  type TShutdownPhase,
  type TWorkerSpec,
} from "./service-host.js";
export { ShutdownSequence } from "./shutdown.js";
export { bootService, type TBootedService } from "./boot-service.js";
export { fullJitterDelay, parseRetryAfter, sleep, type TBackoffOptions } from "./backoff.js";
