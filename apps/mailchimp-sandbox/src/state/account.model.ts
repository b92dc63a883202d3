/**
 * One Mailchimp account: its data center, credentials and everything it owns. The concurrency
 * figures (inFlight, peakInFlight) back the 10-connection limit ([FUND], §2) and are exposed to
 * tests through the control API and the programmatic handle.
 */
import type { TAudience } from "./audience.model.js";
import type { TBatch } from "./batch.model.js";
import type { TCampaign } from "./campaign.model.js";
import type { TStore } from "./ecommerce.model.js";

export type TAccountStats = {
  inFlight: number;
  peakInFlight: number;
  rejectedTooMany: number;
  rejectedForbidden: number;
  requests: number;
};

export type TAccount = {
  id: string;
  dc: string;
  name: string;
  userId: number;
  loginId: number;
  loginName: string;
  loginEmail: string;
  role: string;
  apiKeys: Set<string>;
  lists: Map<string, TAudience>;
  stores: Map<string, TStore>;
  campaigns: Map<string, TCampaign>;
  batches: Map<string, TBatch>;
  stats: TAccountStats;
};

export function emptyStats(): TAccountStats {
  return { inFlight: 0, peakInFlight: 0, rejectedTooMany: 0, rejectedForbidden: 0, requests: 0 };
}
