/**
 * What a stream reader gets to work with. Readers do I/O only through these handles, so tests and
 * the poller give them the same real clients.
 */
import type { TConnectionView } from "@ml-connector/connections";
import type { TPrisma } from "@ml-connector/db";
import type { PlexConnectClient } from "@ml-connector/plex-client";
import type { TSyncEntity } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";

export type TPollContext = {
  connection: TConnectionView;
  plex: PlexConnectClient;
  prisma: TPrisma;
  log: Logger;
  now: Date;
  signal?: AbortSignal;
  /** Hands records on to the writer (durably: the jobs are in Redis when this resolves). */
  enqueue: (entity: TSyncEntity, externalIds: string[]) => Promise<void>;
  jobId?: string;
};

export type TPollResult = {
  windows: number;
  rows: number;
  changed: number;
  rejected: number;
  queued: number;
  plexCalls: number;
};

/** Windows start a little before the watermark: Plex may commit a change stamped earlier. */
export const WINDOW_OVERLAP_MS = 2 * 60_000;
/** Windows end a little before now, so a change committed this second is read next time. */
export const WINDOW_SETTLE_MS = 5_000;
/** Where a first poll (a backfill) starts. */
export const BACKFILL_START = new Date("2000-01-01T00:00:00Z");
