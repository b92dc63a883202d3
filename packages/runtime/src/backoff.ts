/**
 * Retry timing shared by the API clients: exponential backoff with full jitter (a random wait
 * between 0 and the exponential bound, so many callers retrying at once spread out), and the
 * server's own hint when it gives one.
 */

export type TBackoffOptions = { baseMs: number; capMs: number };

/** Wait before retry number `attempt` (1 = first retry). */
export function fullJitterDelay(
  attempt: number,
  options: TBackoffOptions,
  random: () => number = Math.random,
): number {
  const bound = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));

  return Math.floor(random() * bound);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()) {
  if (value === undefined || value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1_000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;

  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(new Error("aborted"));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
