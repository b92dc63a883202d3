/**
 * Both upstreams misbehave for a whole backfill: Mailchimp answers 429 storms, body-less 403s and
 * 503s and drops connections; Plex answers 429s and 502s and drops connections, and its OAuth
 * tokens expire every few seconds under concurrent polls. Everything must arrive, neither side's
 * limit may ever be exceeded, records refused for good must carry their reason, and no secret may
 * reach a log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChaosRig } from "./chaos-harness.js";

const CUSTOMERS = 1_500;

describe("Plex and Mailchimp misbehaving during a backfill", () => {
  const rig = new ChaosRig({
    customers: CUSTOMERS,
    portBase: 18410,
    mailchimp: { latency: { perRequestMs: 20, perBatchMemberMs: 0 } },
    // Plex through OAuth, with tokens that expire every 3 s while several polls run at once.
    plexAuth: "oauth",
    plex: { oauth: { tokenLifetimeSeconds: 3 } },
  });

  const mailchimpFaults: ReturnType<typeof rig.mailchimp.addFault>[] = [];

  beforeAll(async () => {
    await rig.start();
    // 429 storms, body-less 403s, 5xx bursts and dropped connections, on every endpoint.
    mailchimpFaults.push(
      rig.mailchimp.addFault({ kind: "too-many-requests", probability: 0.15 }),
      rig.mailchimp.addFault({ kind: "forbidden-empty", probability: 0.1 }),
      rig.mailchimp.addFault({ kind: "status", status: 503, probability: 0.1 }),
      rig.mailchimp.addFault({ kind: "drop", probability: 0.05 }),
    );
    rig.plex.faults.add({ type: "rate-limit", probability: 0.1, retryAfterSeconds: 1 });
    rig.plex.faults.add({ type: "error", status: 502, probability: 0.1 });
    rig.plex.faults.add({ type: "drop", probability: 0.05 });
    rig.mailchimp.resetStats();
    rig.plex.stats.reset();
  });
  afterAll(() => rig.stop());

  it("delivers everything eventually without ever exceeding either side's limits", async () => {
    await rig.backfill();

    const settled = await rig.waitSettled(220_000);

    expect(settled).toBe(CUSTOMERS);
    const effects = await rig.effects();
    expect(effects.members).toBe(effects.deliveredLinks);
    expect(effects.createdTwice).toBe(0);
    expect(effects.recordsWithoutTrail, effects.trailGaps).toBe(0);
    const account = rig.mailchimp.accountStats(rig.mailchimp.defaults!.accountId);
    // Mailchimp's 10-connection cap; the writer holds itself to 8.
    expect(account.peakInFlight).toBeLessThanOrEqual(8);
    // Every kind of injected Mailchimp fault was really answered at least once.
    for (const fault of mailchimpFaults) expect(fault.fired, fault.kind).toBeGreaterThan(0);
    const plexStats = rig.plex.stats.snapshot();
    expect(plexStats.peakCallsInWindow).toBeLessThanOrEqual(200);
    expect(plexStats.totals.faults).toBeGreaterThan(0);
    // Permanent refusals (bad addresses in the plant) end "rejected", each with its reason.
    const unexplained = await rig.prisma.syncRecord.count({
      where: {
        connectionId: rig.connectionId,
        status: "rejected",
        OR: [{ reason: null }, { reason: "" }],
      },
    });
    const rejected = await rig.prisma.syncRecord.count({
      where: { connectionId: rig.connectionId, entity: "customer", status: "rejected" },
    });
    expect(rejected).toBeGreaterThan(0);
    expect(unexplained).toBe(0);
    // Tokens really expired and were renewed during the run, and no secret leaked on the way.
    expect(rig.plex.credentials.tokensIssued).toBeGreaterThan(2);
    const output = rig.services.map((service) => service.output.join("")).join("");
    for (const secret of [rig.plex.oauthClient.clientSecret, rig.mailchimp.defaults!.apiKey]) {
      expect(output.includes(secret), "a secret in a service log").toBe(false);
    }
  });
});
