/**
 * pino JSON logging with the house fields (service, connectionId, queue, jobId, attempt, entity,
 * externalId, durationMs, err). Messages are static; variables go in fields. Credentials are
 * removed twice: by path (below) and by value (secret-scrubber.ts).
 */
import { pino, type DestinationStream, type Logger } from "pino";

import { scrubSecrets } from "./secret-scrubber.js";

export type { Logger } from "pino";

/** Paths whose values are secrets wherever they appear in a log object. */
export const REDACT_PATHS = [
  "apiKey",
  "*.apiKey",
  "api_key",
  "*.api_key",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "apiSecret",
  "*.apiSecret",
  "clientSecret",
  "*.clientSecret",
  "client_secret",
  "*.client_secret",
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "access_token",
  "*.access_token",
  "refreshToken",
  "*.refreshToken",
  "masterKey",
  "*.masterKey",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["x-plex-connect-api-key"]',
  '*.headers["x-plex-connect-api-secret"]',
  '*.headers["x-mandrill-signature"]',
  "req.headers.authorization",
  "req.headers.cookie",
  "config.headers.Authorization",
  "*.config.headers.Authorization",
];

export type TLoggerOptions = {
  service: string;
  level?: string;
  /** For tests: capture the output instead of writing to stdout. */
  destination?: DestinationStream;
};

export function createLogger(options: TLoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: scrubSecrets },
    },
    // Synchronous writes: a line logged just before a crash or exit is never lost.
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/**
 * "j***@example.com": enough for an operator to recognise an address, not enough to harvest it.
 * Full addresses are personal data and stay out of info-level logs.
 */
export function maskEmail(email: string | null | undefined): string | undefined {
  if (email === null || email === undefined) return undefined;
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";

  return `${email[0]}***${email.slice(at)}`;
}
