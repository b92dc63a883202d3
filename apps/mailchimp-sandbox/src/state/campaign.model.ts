/**
 * A campaign "sent" by the control API and the engagement it produces over simulated time. Each
 * activity event has a simulated timestamp; reports only show events whose time has come, and an
 * unsubscribe or bounce changes the member (and fires the list webhook) when its time comes.
 */
export type TActivityAction = "open" | "click" | "bounce" | "unsub";

export type TActivityEvent = {
  atMs: number;
  email: string;
  hash: string;
  action: TActivityAction;
  url?: string;
  ip: string;
  /** "hard" or "soft" for bounces; the unsubscribe reason for unsubs. */
  detail?: string;
  /** Whether the member-side effect (unsubscribe, clean) has been applied. */
  applied: boolean;
};

export type TCampaignRecipient = {
  email: string;
  hash: string;
  mergeFields: Record<string, unknown>;
};

export type TCampaign = {
  id: string;
  web_id: number;
  list_id: string;
  list_name: string;
  title: string;
  subject_line: string;
  from_name: string;
  reply_to: string;
  create_time: string;
  send_time: string;
  send_time_ms: number;
  recipients: TCampaignRecipient[];
  /** Sorted by atMs. */
  activity: TActivityEvent[];
  urls: string[];
};
