/**
 * In-memory shapes of an audience (list), its members, merge fields and list webhooks. Field names
 * follow Mailchimp's JSON so serializers stay thin; each record is bounded (see record-limits.ts).
 */
export type TMemberStatus =
  "subscribed" | "unsubscribed" | "cleaned" | "pending" | "transactional" | "archived";

export type TWritableStatus = Exclude<TMemberStatus, "archived">;

export type TMergeFieldType =
  | "text"
  | "number"
  | "address"
  | "phone"
  | "date"
  | "url"
  | "imageurl"
  | "radio"
  | "dropdown"
  | "birthday"
  | "zip";

export type TMergeField = {
  merge_id: number;
  tag: string;
  name: string;
  type: TMergeFieldType;
  required: boolean;
  default_value: string;
  public: boolean;
  display_order: number;
  options: {
    default_country?: number;
    phone_format?: string;
    date_format?: string;
    choices?: string[];
    size?: number;
  };
  help_text: string;
};

export type TAddressValue = {
  addr1: string;
  addr2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
};

export type TMergeValue = string | number | TAddressValue;

export type TMemberTag = { id: number; name: string; date_added: string };

export type TMember = {
  id: string;
  email_address: string;
  unique_email_id: string;
  contact_id: string;
  web_id: number;
  email_type: string;
  status: TMemberStatus;
  /** Status before an archive, restored when an archived contact is written again. */
  status_before_archive?: TWritableStatus;
  /** Set by an unsubscribe or a clean; keeps the member from being re-subscribed by API. */
  compliance_hold: boolean;
  unsubscribe_reason: string;
  merge_fields: Record<string, TMergeValue>;
  interests: Record<string, boolean>;
  language: string;
  vip: boolean;
  location: { latitude: number; longitude: number };
  ip_signup: string;
  timestamp_signup: string;
  ip_opt: string;
  timestamp_opt: string;
  last_changed: string;
  last_changed_ms: number;
  member_rating: number;
  source: string;
  tags: Map<string, TMemberTag>;
};

export type TListWebhook = {
  id: string;
  url: string;
  events: Record<TWebhookEventType, boolean>;
  sources: Record<TWebhookSource, boolean>;
  /** A 410 answer disables the webhook for good (release note 2021-04-05, §5.1). */
  disabled: boolean;
};

export const WEBHOOK_EVENT_TYPES = [
  "subscribe",
  "unsubscribe",
  "profile",
  "cleaned",
  "upemail",
  "campaign",
] as const;
export type TWebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_SOURCES = ["user", "admin", "api"] as const;
export type TWebhookSource = (typeof WEBHOOK_SOURCES)[number];

export type TAudience = {
  id: string;
  web_id: number;
  name: string;
  contact: Record<string, string>;
  permission_reminder: string;
  campaign_defaults: Record<string, string>;
  email_type_option: boolean;
  double_optin: boolean;
  date_created: string;
  members: Map<string, TMember>;
  /** The same members by contact_id (the API accepts it in place of the hash): no scans. */
  membersByContactId: Map<string, TMember>;
  /** Hashes of permanently deleted members: they cannot be re-imported ([SPEC], §3.2). */
  forgotten: Set<string>;
  mergeFields: TMergeField[];
  nextMergeId: number;
  webhooks: Map<string, TListWebhook>;
  nextTagId: number;
};
