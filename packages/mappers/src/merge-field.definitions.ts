/**
 * The audience fields ("merge fields") the connector writes, as the writer provisions them with
 * `POST /lists/{id}/merge-fields` (reference mailchimp-api.md §3.3: `name` and `type` required,
 * `tag` optional). Tags are kept to at most 10 upper-case letters: Mailchimp's real limit is not
 * published (§3.3 "unconfirmed"), 10 is the figure commonly quoted, so staying under it is safe.
 * FNAME, LNAME, ADDRESS and PHONE exist by default in a new audience but users can edit them
 * (§3.3); the writer compares types before relying on them. Date fields take YYYY-MM-DD over
 * the API whatever their display format, so no `date_format` is imposed on the audience.
 */
export type TMergeFieldType = "text" | "number" | "date" | "phone" | "address";

export type TMergeFieldDefinition = {
  tag: string;
  name: string;
  type: TMergeFieldType;
  options?: { phone_format?: string };
};

/** Mailchimp text fields hold at most 255 characters. */
export const MERGE_TEXT_MAX = 255;

/** "Each address line must be fewer than 45 characters" (§3.3). */
export const MERGE_ADDRESS_LINE_MAX = 44;

/** Where each value comes from is in the package README ("Merge fields"). */
export const MERGE_FIELDS: readonly TMergeFieldDefinition[] = [
  // Contact first/last name; on the customer's own member FNAME holds the company name.
  { tag: "FNAME", name: "First Name", type: "text" },
  { tag: "LNAME", name: "Last Name", type: "text" },
  { tag: "COMPANY", name: "Company", type: "text" },
  { tag: "CUSTCODE", name: "Plex Customer Code", type: "text" },
  { tag: "JOBTITLE", name: "Job Title", type: "text" },
  // Location of the bill-to (else sold-to, else first active) address.
  { tag: "CITY", name: "City", type: "text" },
  { tag: "STATE", name: "State / Province", type: "text" },
  { tag: "COUNTRY", name: "Country", type: "text" },
  // Only sent when street, city, state and zip are all present (§3.3).
  { tag: "ADDRESS", name: "Address", type: "address" },
  { tag: "REGION", name: "Sales Region", type: "text" },
  { tag: "INDUSTRY", name: "Industry", type: "text" },
  { tag: "CUSTTYPE", name: "Customer Type", type: "text" },
  { tag: "CUSTSTATUS", name: "Customer Status", type: "text" },
  // Order statistics (issue #6).
  { tag: "ORDERCOUNT", name: "Order Count", type: "number" },
  { tag: "FIRSTORDER", name: "First Order Date", type: "date" },
  { tag: "LASTORDER", name: "Last Order Date", type: "date" },
  { tag: "REVENUE", name: "Lifetime Revenue", type: "number" },
  { tag: "CATEGORIES", name: "Product Categories", type: "text" },
  { tag: "LASTSHIP", name: "Last Shipment Date", type: "date" },
  // Mailchimp answers "none" for the international format (US is the other one); values go
  // out as +<country code><number>.
  { tag: "PHONE", name: "Phone Number", type: "phone", options: { phone_format: "none" } },
];

export type TMergeTag = (typeof MERGE_FIELDS)[number]["tag"];

const BY_TAG = new Map(MERGE_FIELDS.map((field) => [field.tag, field]));

export function mergeFieldDefinition(tag: string): TMergeFieldDefinition | undefined {
  return BY_TAG.get(tag);
}
