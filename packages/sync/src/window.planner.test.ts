import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { WindowPlanner, type TWindow } from "./window.planner.js";

const DAY = 86_400_000;

/** Reads `timestamps` through the planner the way the poller does; returns what it accepted. */
function drain(timestamps: number[], from: number, to: number, maxRows: number) {
  const planner = new WindowPlanner({
    from: new Date(from),
    to: new Date(to),
    initialSpanMs: DAY,
    minSpanMs: 1,
    maxSpanMs: 365 * DAY,
    maxRows,
  });
  const seen = new Set<number>();
  const windows: TWindow[] = [];
  let calls = 0;
  for (let window = planner.next(); window !== undefined; window = planner.next()) {
    calls += 1;
    const rows = timestamps
      .map((time, index) => ({ time, index }))
      .filter(({ time }) => time >= window.start.getTime() && time <= window.end.getTime());
    if (planner.report(window, rows.length) === "split") continue;
    windows.push(window);
    for (const row of rows) seen.add(row.index);
  }

  return { seen, windows, calls, splits: planner.splits };
}

describe("WindowPlanner", () => {
  it("never skips a record, whatever the distribution of timestamps", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 * DAY }), { maxLength: 400 }),
        fc.integer({ min: 2, max: 50 }),
        (timestamps, maxRows) => {
          const { seen } = drain(timestamps, 0, 30 * DAY, maxRows);

          expect(seen.size).toBe(timestamps.length);
        },
      ),
    );
  });

  it("splits a crowded window and accepts rows sharing one timestamp it cannot split", () => {
    const sameInstant = Array.from({ length: 30 }, () => 5 * DAY);
    const { seen, splits } = drain([...sameInstant, 1, 2 * DAY], 0, 10 * DAY, 10);

    expect(seen.size).toBe(32);
    expect(splits).toBeGreaterThan(0);
  });

  it("widens windows over empty stretches so a long backfill costs few calls", () => {
    const { calls } = drain([20 * 365 * DAY], 0, 21 * 365 * DAY, 1_000);

    expect(calls).toBeLessThan(30);
  });
});
