/**
 * Puts records on the mailchimp-write queue: one job per 500 records, its id derived from the
 * records and from the run that hands them on. A run re-done after a crash (the same poll job,
 * the same id) queues its records once; a later run queues them again even while BullMQ still
 * keeps the earlier, finished job (a job id that is still kept makes `add` a silent no-op, so an
 * id made of the records alone would drop the second change of a customer within a day).
 */
import { createHash } from "node:crypto";

import { safeJobId, type TProducer } from "./producer.js";
import type { TSyncEntity } from "./registry.js";

const WRITE_CHUNK = 500;

export async function enqueueWriteRecords(
  writes: TProducer<"mailchimpWrite">,
  connectionId: string,
  entity: TSyncEntity,
  externalIds: string[],
  options: {
    replay?: boolean;
    /** The job handing the records on; without one (replays, sweeps) the jobs are always new. */
    runId?: string;
  } = {},
): Promise<void> {
  // The run's own id can be long (a write job's id names its run in turn): a short digest of it.
  const replay = options.replay === true;
  const runTag = createHash("sha256")
    .update(options.runId ?? String(Date.now()))
    .digest("hex")
    .slice(0, 12);
  const jobs = [];
  for (let start = 0; start < externalIds.length; start += WRITE_CHUNK) {
    const chunk = externalIds.slice(start, start + WRITE_CHUNK);
    const digest = createHash("sha256").update(chunk.join(",")).digest("hex").slice(0, 20);
    jobs.push({
      name: "write-records" as const,
      payload: { connectionId, entity, externalIds: chunk, replay },
      opts: { jobId: safeJobId(replay ? "replay" : "write", connectionId, entity, digest, runTag) },
    });
  }
  if (jobs.length > 0) await writes.addBulk(jobs);
}
