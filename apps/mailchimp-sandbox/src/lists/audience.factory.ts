/**
 * New audiences start like Mailchimp's: FNAME, LNAME, ADDRESS and PHONE exist by default and are
 * editable ([MERGE], reference/mailchimp-api.md §3.3), EMAIL is merge field 0 and never listed.
 */
import type { TAudience, TMergeField } from "../state/audience.model.js";

export type TAudienceInput = {
  id: string;
  webId: number;
  name: string;
  createdAt: string;
  contact?: Record<string, string>;
  permissionReminder?: string;
  campaignDefaults?: Record<string, string>;
  emailTypeOption?: boolean;
  doubleOptin?: boolean;
};

function defaultField(
  mergeId: number,
  tag: string,
  name: string,
  type: TMergeField["type"],
  options: TMergeField["options"] = {},
): TMergeField {
  return {
    merge_id: mergeId,
    tag,
    name,
    type,
    required: false,
    default_value: "",
    public: false,
    display_order: mergeId + 1,
    options,
    help_text: "",
  };
}

export function createAudience(input: TAudienceInput): TAudience {
  return {
    id: input.id,
    web_id: input.webId,
    name: input.name,
    contact: input.contact ?? {
      company: "Sandbox Manufacturing",
      address1: "1 Plant Road",
      city: "Detroit",
      state: "MI",
      zip: "48201",
      country: "US",
    },
    permission_reminder:
      input.permissionReminder ?? "You are receiving this email because you are a customer.",
    campaign_defaults: input.campaignDefaults ?? {
      from_name: "Sandbox Manufacturing",
      from_email: "marketing@sandbox-manufacturing.com",
      subject: "",
      language: "en",
    },
    email_type_option: input.emailTypeOption ?? false,
    double_optin: input.doubleOptin ?? false,
    date_created: input.createdAt,
    members: new Map(),
    membersByContactId: new Map(),
    forgotten: new Set(),
    mergeFields: [
      defaultField(1, "FNAME", "First Name", "text", { size: 25 }),
      defaultField(2, "LNAME", "Last Name", "text", { size: 25 }),
      defaultField(3, "ADDRESS", "Address", "address", { default_country: 164 }),
      defaultField(4, "PHONE", "Phone Number", "phone", { phone_format: "none" }),
    ],
    nextMergeId: 5,
    webhooks: new Map(),
    nextTagId: 0,
  };
}
