import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { ROOT, startProcess, waitForExit } from "./process-harness.js";

const PORT_OFFSET = 20_000;

describe("the start command's system runner", () => {
  it("brings every service to ready within a minute and stops them all on SIGINT", async () => {
    const running = startProcess([join(ROOT, "scripts", "run-system.mjs")], {
      ML_PORT_OFFSET: String(PORT_OFFSET),
      HTTP_HOST: "127.0.0.1",
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test",
      QUEUE_PREFIX: "mlc-start-test",
      CONSOLE_PASSWORD: "start-test-password-123",
    });

    const deadline = Date.now() + 60_000;
    while (!running.output().includes("ml-connector is up") && Date.now() < deadline) {
      if (running.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const output = running.output();
    if (!output.includes("ml-connector is up")) {
      running.child.kill("SIGKILL");
      throw new Error(`system did not come up within 60 s:\n${output}`);
    }

    const ports = [...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => match[1]);
    expect(ports.length).toBeGreaterThanOrEqual(5);
    for (const port of ports) {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status, `service on port ${port}`).toBe(200);
    }

    running.child.kill("SIGINT");
    const exit = await waitForExit(running, 20_000);
    expect(exit.code).toBe(0);
    expect(running.output()).not.toContain("start-test-password-123");
  });
});
