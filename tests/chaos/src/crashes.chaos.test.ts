import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChaosRig } from "./chaos-harness.js";

const CUSTOMERS = 2_000;

describe("workers killed with SIGKILL during a backfill", () => {
  const rig = new ChaosRig({ customers: CUSTOMERS, portBase: 18400 });

  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  it("ends with every record settled once, Mailchimp and the audit trail agreeing", async () => {
    const [poller, writer] = rig.services as [(typeof rig.services)[0], (typeof rig.services)[0]];
    await rig.backfill();
    const kills: string[] = [];

    // Kill the poller while it reads, then the writer twice while it writes. A killed worker's
    // jobs come back once their locks expire (BullMQ's stalled-job check, about 30-60 s).
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await rig.kill(poller);
    kills.push("plex-poller");
    await rig.startService(poller);
    const startedAt = Date.now();
    const settled = await rig.waitSettled(270_000, async (done) => {
      const due = [6_000, 14_000][kills.length - 1];
      if (due !== undefined && Date.now() - startedAt > due && done < CUSTOMERS) {
        await rig.kill(writer);
        kills.push(`mailchimp-writer at ${done} settled`);
        await rig.startService(writer);
      }
    });

    expect(kills.length).toBe(3);
    expect(settled).toBe(CUSTOMERS);
    const effects = await rig.effects();
    expect(effects.members).toBe(effects.deliveredLinks);
    expect(effects.createdTwice).toBe(0);
    expect(effects.recordsWithoutTrail).toBe(0);

    // Secrets: nowhere in the services' logs or in any job Redis holds.
    const output = rig.services.map((service) => service.output.join("")).join("");
    const redis = new Redis(rig.redisUrl);
    const jobs: string[] = [];
    for (const key of await redis.keys(`${rig.prefix}:*`)) {
      if ((await redis.type(key)) === "hash") jobs.push(JSON.stringify(await redis.hgetall(key)));
    }
    await redis.quit();
    for (const secret of [
      rig.plex.apiKey,
      rig.mailchimp.defaults!.apiKey,
      rig.masterKey.toString("base64"),
    ]) {
      expect(output.includes(secret), "secret in a service log").toBe(false);
      expect(jobs.join("").includes(secret), "secret in a job").toBe(false);
    }
  });
});
