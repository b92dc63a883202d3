/**
 * Plex errors, classified once: retryable (429, 5xx, timeouts, dropped connections) or permanent
 * (bad request, authentication, not found). Messages carry the upstream status, code and message
 * so an operator can act on them, and never a credential.
 *
 * Plex's error body is {code, message, errors[]} (reference plex-api.md §2.6); the UX data-source
 * API answers {errors:[{code, message}], transactionNo} (§3.2).
 */
import { isAxiosError } from "axios";

import { parseRetryAfter, scrubbedMessage } from "@ml-connector/runtime";

export type TPlexErrorKind = "rate-limited" | "server" | "network" | "auth" | "client";

export class PlexApiError extends Error {
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly kind: TPlexErrorKind,
    readonly status: number,
    readonly code: string | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = "PlexApiError";
    this.retryable = kind === "rate-limited" || kind === "server" || kind === "network";
  }
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ECANCELED",
]);

type TPlexErrorBody = {
  code?: unknown;
  message?: unknown;
  errors?: { code?: unknown; message?: unknown }[];
};

function readBody(data: unknown): { code?: string; message?: string } {
  if (typeof data !== "object" || data === null) {
    return typeof data === "string" && data.length > 0 ? { message: data.slice(0, 300) } : {};
  }
  const body = data as TPlexErrorBody;
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const code = typeof body.code === "string" ? body.code : first?.code;
  const message = typeof body.message === "string" ? body.message : first?.message;

  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message.slice(0, 300) : undefined,
  };
}

/** "Try again in 12 seconds": one Plex client's reading of the 429 body (§2.7). */
export function retryHintFromMessage(message: string | undefined): number | undefined {
  const match = message === undefined ? null : /in\s+(\d+)\s+sec/i.exec(message);

  return match?.[1] === undefined ? undefined : Number(match[1]) * 1_000;
}

/** A non-2xx answer from Plex, classified. */
export function plexErrorFromResponse(
  what: string,
  status: number,
  data: unknown,
  headers: Record<string, unknown> = {},
): PlexApiError {
  const body = readBody(data);
  const detail = [body.code, body.message].filter(Boolean).join(": ") || "no error body";
  const message = scrubbedMessage(`Plex ${what} answered ${status} ${detail}`);
  const retryAfter = parseRetryAfter(headers["retry-after"] as string | undefined);

  if (status === 429) {
    const hint = retryAfter ?? retryHintFromMessage(body.message);

    return new PlexApiError(message, "rate-limited", status, body.code, hint);
  }
  if (status >= 500) return new PlexApiError(message, "server", status, body.code, retryAfter);
  if (status === 401 || status === 403) {
    return new PlexApiError(message, "auth", status, body.code, undefined);
  }

  return new PlexApiError(message, "client", status, body.code, undefined);
}

/** A request that got no usable answer (timeout, reset, refused), or any other thrown error. */
export function plexErrorFromException(err: unknown, what: string): PlexApiError {
  if (err instanceof PlexApiError) return err;
  if (isAxiosError(err) && err.response !== undefined) {
    return plexErrorFromResponse(
      what,
      err.response.status,
      err.response.data,
      err.response.headers,
    );
  }
  const code = isAxiosError(err) ? (err.code ?? "NETWORK") : "NETWORK";
  const kind: TPlexErrorKind = NETWORK_CODES.has(code) || code === "NETWORK" ? "network" : "client";
  const reason = isAxiosError(err) ? code : scrubbedMessage(err);

  return new PlexApiError(`Plex ${what} failed: ${reason} (no answer)`, kind, 0, code, undefined);
}
