import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChaosRig } from "./chaos-harness.js";

const PORT = 6391;
const CUSTOMERS = 2_000;

/** A private Redis with AOF, so the machine's shared one is never touched. */
function startRedis(dir: string): ChildProcess {
  return spawn(
    "redis-server",
    [
      "--port",
      String(PORT),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--maxmemory-policy",
      "noeviction",
      "--save",
      "",
    ],
    { stdio: "ignore" },
  );
}

async function waitRedis(): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (
      spawnSync("redis-cli", ["-p", String(PORT), "ping"], { encoding: "utf8" }).stdout.includes(
        "PONG",
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("private redis did not start");
}

describe("Redis killed and restarted during a backfill", () => {
  const dir = mkdtempSync(join(tmpdir(), "mlc-chaos-redis-"));
  let redis = startRedis(dir);
  const rig = new ChaosRig({
    customers: CUSTOMERS,
    portBase: 18420,
    redisUrl: `redis://127.0.0.1:${PORT}`,
  });

  beforeAll(async () => {
    await waitRedis();
    await rig.start();
  });
  afterAll(async () => {
    await rig.stop();
    redis.kill("SIGKILL");
  });

  it("lets the services recover by themselves and loses nothing", async () => {
    await rig.backfill();
    let restarted = false;

    const settled = await rig.waitSettled(200_000, async (done) => {
      if (!restarted && done > CUSTOMERS / 4) {
        restarted = true;
        redis.kill("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        redis = startRedis(dir);
        await waitRedis();
      }
    });

    expect(restarted).toBe(true);
    expect(settled).toBe(CUSTOMERS);
    const effects = await rig.effects();
    expect(effects.members).toBe(effects.deliveredLinks);
    expect(effects.recordsWithoutTrail, effects.trailGaps).toBe(0);
    for (const service of rig.services) expect(service.child?.exitCode).toBeNull();
  });
});
