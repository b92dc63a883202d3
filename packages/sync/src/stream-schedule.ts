/**
 * When each stream of a connection is polled: its cron pattern in the plant's time zone (the
 * connection's own, or the defaults below), and whether a blackout window (month-end close, say)
 * holds polling back right now.
 */
import { CronExpressionParser } from "cron-parser";

import type { TConnectionView } from "@ml-connector/connections";
import type { TPlexStream } from "@ml-connector/queues";

/** Streams the poller can read today, with their default patterns. */
export const DEFAULT_STREAM_PATTERNS: Partial<Record<TPlexStream, string>> = {
  // Customers change during the working day; every 5 minutes costs a few calls when idle.
  customers: "*/5 * * * *",
  // Contacts have no date filter, so each poll pulls them all: hourly is enough.
  contacts: "17 * * * *",
  // The order side (issue #6), staggered by a minute so their runs do not all start together:
  // a shipped release moves its order's fulfilment status within five minutes.
  orders: "*/5 * * * *",
  releases: "1-59/5 * * * *",
  shippers: "2-59/5 * * * *",
  // Payments matter less urgently than shipments.
  invoices: "3-59/15 * * * *",
  // Parts have no date filter either (one full pull), and change rarely.
  parts: "41 */6 * * *",
};

export type TStreamSchedule = { stream: TPlexStream; pattern: string };

export function streamSchedules(connection: TConnectionView): TStreamSchedule[] {
  const schedules: TStreamSchedule[] = [];
  for (const [stream, pattern] of Object.entries(DEFAULT_STREAM_PATTERNS) as [
    TPlexStream,
    string,
  ][]) {
    const configured = connection.schedules.streams[stream];
    if (configured?.enabled === false) continue;
    schedules.push({ stream, pattern: configured?.pattern ?? pattern });
  }

  return schedules;
}

/** The blackout window `now` falls in, if any. */
export function activeBlackout(connection: TConnectionView, now: Date): string | undefined {
  for (const blackout of connection.schedules.blackouts) {
    const expression = CronExpressionParser.parse(blackout.pattern, {
      currentDate: new Date(now.getTime() + 1),
      tz: connection.timezone,
    });
    const start = expression.prev().toDate();
    if (now.getTime() - start.getTime() < blackout.minutes * 60_000) return blackout.name;
  }

  return undefined;
}
