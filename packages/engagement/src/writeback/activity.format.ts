/**
 * How engagement reads in Plex: activity names, descriptions and comment lines. Plex Activity
 * Manager has no notes resource, so each comment is one line of history (reference plex-api.md §4).
 * Names carry a short reference so the connector can find its own activity again after a crash
 * (the list endpoint filters by customerCode and activityName). Limits follow the published body:
 * activityName ≤ 200, description and each comment ≤ 4000 characters.
 */
export type TActivityKind = "campaign" | "subscription" | "transactional";

export const ACTIVITY_NAME_MAX = 200;
export const COMMENT_MAX = 4_000;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "2026-12-03 10:15 UTC" */
export function stamp(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A name with its reference kept whole when the title has to be shortened. */
export function activityName(title: string, reference: string): string {
  const suffix = ` [${reference}]`;

  return `${clip(title, ACTIVITY_NAME_MAX - suffix.length)}${suffix}`;
}

export function campaignActivityName(campaignId: string, subject: string | null): string {
  return activityName(`Mailchimp campaign: ${subject ?? campaignId}`, `mc ${campaignId}`);
}

export function describeActivity(kind: TActivityKind, subject?: string | null): string {
  const tail = "Written by ml-connector from Mailchimp; edits made here are overwritten.";
  if (kind === "campaign") {
    return `Opens, clicks, bounces and unsubscribes of the Mailchimp campaign "${subject ?? ""}", read from Mailchimp's reports. ${tail}`;
  }
  if (kind === "transactional") {
    return `Deliveries, opens and clicks of a transactional (Mandrill) e-mail. ${tail}`;
  }

  return `A change to the contact's Mailchimp audience membership, reported by Mailchimp. ${tail}`;
}

export function commentLine(at: Date, text: string): string {
  return clip(`${stamp(at)} ${text}`, COMMENT_MAX);
}
