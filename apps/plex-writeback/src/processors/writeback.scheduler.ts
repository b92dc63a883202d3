/**
 * How the write-back steps schedule follow-up work on the plex-writeback queue:
 * - write-activities is debounced per customer with BullMQ deduplication: while one write for a
 *   customer is waiting, more events join it; while one is running, one more is kept for after it
 *   (keepLastIfActive), so nothing is stranded and a customer is never written by two jobs at once;
 * - collect-campaign-report has one job id per campaign and round, so scheduling twice is harmless.
 */
import { safeJobId, type TProducer } from "@ml-connector/queues";
import type { TWritebackScheduler } from "@ml-connector/engagement";

export function writebackScheduler(
  writes: TProducer<"plexWriteback">,
  debounceMs: number,
): TWritebackScheduler {
  return {
    async writeActivities(connectionId, plexCustomerIds) {
      if (plexCustomerIds.length === 0) return;
      await writes.addBulk(
        plexCustomerIds.map((plexCustomerId) => ({
          name: "write-activities" as const,
          payload: { connectionId, plexCustomerId },
          opts: {
            delay: debounceMs,
            deduplication: {
              id: `write-${connectionId}-${plexCustomerId}`,
              keepLastIfActive: true,
            },
          },
        })),
      );
    },
    async collectCampaignReport(connectionId, campaignId, round, delayMs) {
      await writes.add(
        "collect-campaign-report",
        { connectionId, campaignId, round },
        { jobId: safeJobId("report", connectionId, campaignId, round), delay: delayMs },
      );
    },
  };
}
