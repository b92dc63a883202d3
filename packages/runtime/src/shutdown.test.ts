import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger } from "./logger.js";
import { ShutdownSequence } from "./shutdown.js";

const silent = createLogger({
  service: "test",
  level: "silent",
  destination: new Writable({ write: (_c, _e, cb) => cb() }),
});

describe("ShutdownSequence", () => {
  it("runs steps in order, once, even when one fails", async () => {
    const order: string[] = [];
    const shutdown = new ShutdownSequence(silent, 5_000);
    shutdown.register("first", () => {
      order.push("first");
    });
    shutdown.register("broken", () => {
      order.push("broken");
      throw new Error("step failed");
    });
    shutdown.register("last", async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push("last");
    });

    await Promise.all([shutdown.run("SIGTERM"), shutdown.run("SIGINT")]);

    expect(order).toEqual(["first", "broken", "last"]);
    expect(shutdown.isShuttingDown).toBe(true);
  });

  it("gives up at the deadline instead of hanging on a stuck step", async () => {
    const shutdown = new ShutdownSequence(silent, 100);
    shutdown.register("stuck", () => new Promise<void>(() => undefined));
    const startedAt = Date.now();

    await shutdown.run("SIGTERM");

    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });
});
