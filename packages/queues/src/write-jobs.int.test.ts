import { randomUUID } from "node:crypto";

import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createProducer, type TProducer } from "./producer.js";
import { enqueueWriteRecords } from "./write-jobs.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("enqueueWriteRecords against Redis", () => {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  let redis: Redis;
  let writes: TProducer<"mailchimpWrite">;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    writes = createProducer("mailchimpWrite", redis, prefix);
  });

  afterAll(async () => {
    await writes.queue.obliterate({ force: true });
    await writes.close();
    await redis.quit();
  });

  const waiting = async () =>
    (await writes.queue.getJobs(["waiting"])).map(
      (job) => (job.data as { externalIds: string[] }).externalIds,
    );

  it("queues the records of one run once, however often that run hands them on", async () => {
    const ids = Array.from({ length: 1_200 }, (_, index) => `C-${index}`);
    await enqueueWriteRecords(writes, "conn-1", "customer", ids, { runId: "poll-7" });
    await enqueueWriteRecords(writes, "conn-1", "customer", ids, { runId: "poll-7" });

    const jobs = await waiting();
    expect(jobs.map((chunk) => chunk.length).sort((a, b) => a - b)).toEqual([200, 500, 500]);
    expect(new Set(jobs.flat()).size).toBe(1_200);
  });

  it("queues the same record again for a later run while the earlier job is still kept", async () => {
    await writes.queue.obliterate({ force: true });
    await enqueueWriteRecords(writes, "conn-1", "customer", ["C-42"], { runId: "poll-8" });
    // A real worker finishes the first job; BullMQ keeps it (a day of completed jobs).
    const workerRedis = redis.duplicate();
    const worker = new Worker("mailchimp-write", () => Promise.resolve("done"), {
      connection: workerRedis,
      prefix,
    });
    const finished = new Promise((resolve) => worker.once("completed", resolve));
    await finished;
    await worker.close();
    await workerRedis.quit();
    expect(await writes.queue.getCompletedCount()).toBe(1);

    // The same run handing the record on again (a re-run after a crash) adds nothing …
    await enqueueWriteRecords(writes, "conn-1", "customer", ["C-42"], { runId: "poll-8" });
    expect(await waiting()).toEqual([]);
    // … a later run's change of the same customer is queued.
    await enqueueWriteRecords(writes, "conn-1", "customer", ["C-42"], { runId: "poll-9" });
    expect(await waiting()).toEqual([["C-42"]]);
  });

  it("gives a replay its own job even for records already waiting", async () => {
    await writes.queue.obliterate({ force: true });
    await enqueueWriteRecords(writes, "conn-1", "order", ["SO-1"], { runId: "poll-10" });
    await enqueueWriteRecords(writes, "conn-1", "order", ["SO-1"], { replay: true });

    const jobs = await writes.queue.getJobs(["waiting"]);
    expect(jobs.map((job) => (job.data as { replay: boolean }).replay).sort()).toEqual([
      false,
      true,
    ]);
  });
});
