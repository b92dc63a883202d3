import { describe, expect, it } from "vitest";

import { safeJobId } from "./producer.js";
import { QUEUES, QUEUE_NAMES, parseJobPayload } from "./registry.js";

describe("the queue registry", () => {
  it("names queues in kebab-case, without the ':' BullMQ reserves, and each once", () => {
    for (const name of QUEUE_NAMES) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(new Set(QUEUE_NAMES).size).toBe(QUEUE_NAMES.length);
  });

  it("gives every queue bounded retries with backoff and retention", () => {
    for (const queue of Object.values(QUEUES)) {
      expect(queue.defaultJobOptions.attempts).toBeGreaterThan(1);
      expect(queue.defaultJobOptions.backoff.type).toBe("exponential");
      expect(queue.defaultJobOptions.removeOnComplete.age).toBeGreaterThan(0);
      expect(queue.defaultJobOptions.removeOnFail.age).toBeGreaterThan(
        queue.defaultJobOptions.removeOnComplete.age,
      );
    }
  });

  it("parses a valid payload and fills defaults", () => {
    const payload = parseJobPayload("mailchimpWrite", "write-records", {
      connectionId: "c-1",
      entity: "customer",
      externalIds: ["a", "b"],
    });

    expect(payload).toEqual({
      connectionId: "c-1",
      entity: "customer",
      externalIds: ["a", "b"],
      replay: false,
    });
  });

  it("refuses an invalid payload with a message naming the queue, job and field", () => {
    expect(() =>
      parseJobPayload("plexPoll", "poll-stream", { connectionId: "c", stream: "x", trigger: "y" }),
    ).toThrow(/invalid plex-poll\/poll-stream payload[\s\S]*stream/);
  });

  it("refuses a job name the queue does not carry", () => {
    expect(() =>
      parseJobPayload("plexPoll", "write-records" as "poll-stream", { connectionId: "c" }),
    ).toThrow("queue plex-poll has no job named write-records");
  });
});

describe("safeJobId", () => {
  it("never produces an id BullMQ refuses", () => {
    expect(safeJobId("customer", "c:1", "abc")).toBe("customer-c_1-abc");
    expect(safeJobId(123)).toBe("j-123");
  });
});
