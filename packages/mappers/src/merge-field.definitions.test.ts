import { beforeAll, describe, expect, it } from "vitest";

import { MERGE_FIELDS } from "./merge-field.definitions.js";
import { MailchimpSpecValidator } from "./testing/mailchimp-spec.validator.js";

let spec: MailchimpSpecValidator;
beforeAll(() => {
  spec = new MailchimpSpecValidator();
});

describe("MERGE_FIELDS", () => {
  it("uses upper-case tags of at most 10 characters, each once", () => {
    const tags = MERGE_FIELDS.map((field) => field.tag);

    for (const tag of tags) expect(tag).toMatch(/^[A-Z][A-Z0-9_]{0,9}$/);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it("covers the segmentation data of issues 5 and 6", () => {
    expect(MERGE_FIELDS.map((field) => field.tag)).toEqual(
      expect.arrayContaining([
        "FNAME",
        "LNAME",
        "COMPANY",
        "CUSTCODE",
        "CITY",
        "STATE",
        "COUNTRY",
        "ADDRESS",
        "INDUSTRY",
        "CUSTTYPE",
        "CUSTSTATUS",
        "ORDERCOUNT",
        "FIRSTORDER",
        "LASTORDER",
        "REVENUE",
        "CATEGORIES",
        "LASTSHIP",
        "PHONE",
      ]),
    );
  });

  it("is, field by field, a valid body for POST /lists/{id}/merge-fields", () => {
    for (const field of MERGE_FIELDS) expect(spec.errors("mergeField", field)).toEqual([]);
  });

  it("would be caught by the spec check if a field had a type Mailchimp does not know", () => {
    expect(spec.errors("mergeField", { tag: "X", name: "X", type: "currency" })).not.toEqual([]);
  });
});
