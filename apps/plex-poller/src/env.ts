/** Configuration of plex-poller; the shared variables are documented in @ml-connector/runtime. */
import { z } from "zod";

import { ZCommonEnv } from "@ml-connector/runtime";

export const ZEnv = ZCommonEnv.extend({
  // Port of the health, readiness and metrics endpoints.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8081),
  // Streams polled at once by this process (each holds a lock, so one stream never overlaps).
  POLL_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  // How often the stream schedules are compared with the connections table.
  SCHEDULE_RECONCILE_MS: z.coerce.number().int().min(1_000).default(60_000),
  // Windows returning this many rows or more are split (Plex has no paging).
  POLL_MAX_ROWS_PER_WINDOW: z.coerce.number().int().min(10).default(5_000),
  // Per-record Plex reads (an order's lines, a line's prices, a shipper's lines) one order-side
  // poll may spend; orders needing more wait for the next run, so a backfill never starves the
  // other streams of the ~200 calls a minute.
  ORDER_READS_PER_RUN: z.coerce.number().int().min(0).max(10_000).default(100),
  // How often records left "received" or "queued" without a job are looked for, and how long
  // one must sit untouched to count (sweeps run only while no poll and no write job is pending).
  RECORD_SWEEP_MS: z.coerce.number().int().min(1_000).default(300_000),
  STRANDED_AFTER_MS: z.coerce.number().int().min(1_000).default(900_000),
});
export type TEnv = z.infer<typeof ZEnv>;
