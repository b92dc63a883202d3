/**
 * Operator sessions: an HMAC-signed cookie holding the user name and an expiry. Stateless, so
 * several console replicas accept each other's sessions when they share CONSOLE_SESSION_SECRET.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type TSession = { user: string; expiresAt: number };

export const SESSION_COOKIE = "mlc_session";

function sign(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}

export function encodeSession(session: TSession, secret: string): string {
  const body = Buffer.from(JSON.stringify(session)).toString("base64url");

  return `${body}.${sign(body, secret)}`;
}

/** Returns the session when the cookie is authentic and unexpired, otherwise undefined. */
export function decodeSession(
  cookie: string | undefined,
  secret: string,
  now = Date.now(),
): TSession | undefined {
  if (cookie === undefined) return undefined;
  const [body, signature, extra] = cookie.split(".");
  if (body === undefined || signature === undefined || extra !== undefined) return undefined;
  if (!safeEqual(signature, sign(body, secret))) return undefined;

  try {
    const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { user, expiresAt } = parsed as Record<string, unknown>;
    if (typeof user !== "string" || typeof expiresAt !== "number") return undefined;
    if (expiresAt <= now) return undefined;

    return { user, expiresAt };
  } catch {
    return undefined;
  }
}

/** Constant-time comparison that does not leak the length through an early return. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHmac("sha256", "compare").update(given).digest();
  const b = createHmac("sha256", "compare").update(expected).digest();

  return timingSafeEqual(a, b) && given.length === expected.length;
}
