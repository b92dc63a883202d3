/**
 * SIGKILL during a backfill: the poller is killed while it reads Plex, the writer twice while it
 * writes batches, each at a random point of the run (logged, so a failure can be retraced). A
 * killed worker's jobs come back once their locks expire (BullMQ's stalled-job check, 30-60 s).
 * Afterwards every customer must be settled, Mailchimp must hold exactly the members the
 * connector recorded as delivered, none created twice, and every record must have its trail.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChaosRig } from "./chaos-harness.js";

const CUSTOMERS = Number(process.env.CHAOS_CUSTOMERS ?? 10_000);

describe("workers killed with SIGKILL during a backfill", () => {
  const rig = new ChaosRig({ customers: CUSTOMERS, portBase: 18400 });

  beforeAll(() => rig.start());
  afterAll(() => rig.stop());

  it(
    "ends with every record settled once, Mailchimp and the audit trail agreeing",
    { timeout: 600_000 },
    async () => {
      const [poller, writer] = rig.services as [(typeof rig.services)[0], (typeof rig.services)[0]];
      // Two points in the writer's run, as shares of all customers settled.
      const killAt = [0.1 + Math.random() * 0.25, 0.45 + Math.random() * 0.3].map((share) =>
        Math.floor(share * CUSTOMERS),
      );
      const kills: string[] = [];
      await rig.backfill();

      // The poller dies while it pulls contacts and customers from Plex.
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1_500));
      await rig.kill(poller);
      kills.push("plex-poller while reading");
      await rig.startService(poller);
      // Each kill costs up to a minute before BullMQ declares the dead worker's jobs stalled.
      const settled = await rig.waitSettled(480_000, async (done) => {
        const due = killAt[kills.length - 1];
        if (due !== undefined && done >= due) {
          await rig.kill(writer);
          kills.push(`mailchimp-writer at ${done} settled`);
          await rig.startService(writer);
        }
      });
      console.log(`chaos crashes: ${CUSTOMERS} customers, kills: ${kills.join("; ")}`);
      if (settled !== CUSTOMERS) console.log(await rig.diagnose());

      expect(kills).toHaveLength(3);
      expect(settled).toBe(CUSTOMERS);
      const effects = await rig.effects();
      expect(effects.members).toBeGreaterThan(CUSTOMERS / 2);
      expect(effects.membersWithoutLink).toBe(0);
      expect(effects.linksWithoutMember).toBe(0);
      expect(effects.createdTwice, effects.createdTwiceTrails.join("\n")).toBe(0);
      expect(effects.ordersCreatedTwice).toBe(0);
      expect(effects.recordsWithoutTrail, effects.trailGaps).toBe(0);

      // Secrets: nowhere in the services' logs or in any job Redis holds.
      const output = rig.services.map((service) => service.output.join("")).join("");
      expect(output).toContain(rig.connectionId);
      const redis = new Redis(rig.redisUrl);
      const jobs: string[] = [];
      for (const key of await redis.keys(`${rig.prefix}:*`)) {
        if ((await redis.type(key)) === "hash") jobs.push(JSON.stringify(await redis.hgetall(key)));
      }
      await redis.quit();
      expect(jobs.length).toBeGreaterThan(0);
      for (const secret of [
        rig.plex.apiKey,
        rig.mailchimp.defaults!.apiKey,
        rig.masterKey.toString("base64"),
      ]) {
        expect(output.includes(secret), "secret in a service log").toBe(false);
        expect(jobs.join("").includes(secret), "secret in a job").toBe(false);
        // Nor in the audit trail or a record's reason (the error text operators read).
        const [found] = await rig.prisma.$queryRaw<{ n: bigint }[]>`
          SELECT (SELECT count(*) FROM audit_events
                  WHERE connection_id = ${rig.connectionId}
                    AND (detail::text LIKE ${`%${secret}%`} OR reason LIKE ${`%${secret}%`}))
               + (SELECT count(*) FROM sync_records
                  WHERE connection_id = ${rig.connectionId} AND reason LIKE ${`%${secret}%`}) AS n`;
        expect(Number(found?.n), "secret in the audit trail").toBe(0);
      }
    },
  );
});
