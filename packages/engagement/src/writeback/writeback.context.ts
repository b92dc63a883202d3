/**
 * What the write-back steps need from the service that runs them: the database, a logger, the
 * job's identity for the audit trail, and the ability to schedule follow-up work (an activity
 * write for a customer, a campaign report round). Scheduling is injected so the steps stay
 * testable and the queue wiring stays in the app.
 */
import type { TPrisma } from "@ml-connector/db";
import type { Logger } from "@ml-connector/runtime";

export type TWritebackScheduler = {
  /** Debounced: many calls for one customer within the delay become one write. */
  writeActivities(connectionId: string, plexCustomerIds: string[]): Promise<void>;
  collectCampaignReport(
    connectionId: string,
    campaignId: string,
    round: number,
    delayMs: number,
  ): Promise<void>;
};

export type TWritebackContext = {
  prisma: TPrisma;
  log: Logger;
  schedule: TWritebackScheduler;
  /** Delays of the report rounds, counted from when the campaign webhook arrived. */
  reportIntervalsMs: number[];
  jobId?: string;
  attempt?: number;
};
