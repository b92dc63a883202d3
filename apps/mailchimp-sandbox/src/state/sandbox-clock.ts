/**
 * The sandbox's notion of "now". It runs with the wall clock plus an offset the control API can
 * advance, so campaign activity, webhook retries and report `since` filters can cover hours of
 * simulated time in a test that lasts milliseconds. Listeners run after every advance so due work
 * (campaign events, webhook retries) happens at once instead of at the next timer tick.
 */
export class SandboxClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Mailchimp's timestamp format in API bodies: ISO 8601 with "+00:00", no milliseconds. */
  isoNow(): string {
    return formatApiTime(this.nowMs());
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("clock can only move forward");
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);

    return () => this.listeners.delete(listener);
  }
}

/** "2021-02-27T00:30:39+00:00", as recorded Mailchimp responses show (grouparoo fixtures). */
export function formatApiTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
}

/** "2009-03-26 21:35:57": the `fired_at` format of list webhooks ([WH], §5.1). */
export function formatWebhookTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
