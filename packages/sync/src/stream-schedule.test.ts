import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";

import type { TConnectionView } from "@ml-connector/connections";

import { activeBlackout, streamSchedules } from "./stream-schedule.js";

function connection(schedules: TConnectionView["schedules"], timezone = "America/Detroit") {
  return { timezone, schedules } as TConnectionView;
}

describe("stream schedules", () => {
  it("uses the defaults unless the connection overrides or disables a stream", () => {
    const schedules = streamSchedules(
      connection({
        streams: {
          contacts: { pattern: "0 6 * * *", enabled: true },
          customers: { pattern: "* * * * *", enabled: false },
        },
        blackouts: [],
      }),
    );

    expect(schedules).toContainEqual({ stream: "contacts", pattern: "0 6 * * *" });
    expect(schedules.map((schedule) => schedule.stream)).not.toContain("customers");
    expect(schedules).toContainEqual({ stream: "releases", pattern: "1-59/5 * * * *" });
  });

  it("polls every stream the poller reads by default, on patterns cron accepts", () => {
    const schedules = streamSchedules(connection({ streams: {}, blackouts: [] }));

    expect(schedules.map((schedule) => schedule.stream).sort()).toEqual(
      ["contacts", "customers", "invoices", "orders", "parts", "releases", "shippers"].sort(),
    );
    for (const schedule of schedules) {
      const next = CronExpressionParser.parse(schedule.pattern, {
        currentDate: new Date("2026-12-03T10:00:30Z"),
        tz: "UTC",
      }).next();
      expect(next.toDate().getTime()).toBeGreaterThan(Date.parse("2026-12-03T10:00:30Z"));
    }
    // A shipment shows in Mailchimp within five minutes: releases are read every five.
    const releases = schedules.find((schedule) => schedule.stream === "releases")!;
    const times = CronExpressionParser.parse(releases.pattern, {
      currentDate: new Date("2026-12-03T10:00:30Z"),
      tz: "UTC",
    });
    const first = times.next().toDate().getTime();
    expect(times.next().toDate().getTime() - first).toBe(5 * 60_000);
  });

  it("holds polling back during a blackout, in the plant's time zone", () => {
    // Month-end close: from 18:00 on the last day of the month, for 14 hours (Detroit time).
    const monthEnd = connection({
      streams: {},
      blackouts: [{ name: "month-end close", pattern: "0 18 L * *", minutes: 14 * 60 }],
    });

    // 2026-11-30 20:00 in Detroit is 2026-12-01 01:00 UTC.
    expect(activeBlackout(monthEnd, new Date("2026-12-01T01:00:00Z"))).toBe("month-end close");
    // 2026-12-01 09:00 in Detroit: after the 14 hours.
    expect(activeBlackout(monthEnd, new Date("2026-12-01T14:00:00Z"))).toBeUndefined();
    expect(activeBlackout(monthEnd, new Date("2026-11-15T20:00:00Z"))).toBeUndefined();
  });
});
