/**
 * One outbound webhook POST with a deadline, as the sandbox's stand-in for Mailchimp's and
 * Mandrill's senders: no redirects followed (a 3xx is a failure), the body read and discarded.
 */
export type TDeliveryOutcome =
  | { kind: "answered"; status: number; durationMs: number }
  | { kind: "failed"; error: "timeout" | "network"; message: string; durationMs: number };

export async function postForm(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<TDeliveryOutcome> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);

    return { kind: "answered", status: response.status, durationMs: Date.now() - startedAt };
  } catch (err) {
    const timedOut =
      err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");

    return {
      kind: "failed",
      error: timedOut ? "timeout" : "network",
      message: err instanceof Error ? err.message : "request failed",
      durationMs: Date.now() - startedAt,
    };
  }
}

/** GET with a deadline, for the registration check; undefined status when nothing answered. */
export async function getStatus(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "GET",
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);

    return response.status;
  } catch {
    return undefined;
  }
}
