import { describe, expect, it } from "vitest";

import type { TMergeField } from "../state/audience.model.js";
import { applyMergeFields } from "./merge-field.rules.js";

function field(
  tag: string,
  type: TMergeField["type"],
  extra: Partial<TMergeField> = {},
): TMergeField {
  return {
    merge_id: 1,
    tag,
    name: tag,
    type,
    required: false,
    default_value: "",
    public: false,
    display_order: 1,
    options: {},
    help_text: "",
    ...extra,
  };
}

const fields = [
  field("REVENUE", "number"),
  field("BIRTHDAY", "birthday", { options: { date_format: "DD/MM" } }),
  field("SEGMENT", "dropdown", { options: { choices: ["OEM", "Distributor"] } }),
  field("SITE", "url"),
  field("PHONE", "phone", { options: { phone_format: "US" } }),
  field("PLANT", "text", { required: true }),
];
const options = { isNew: false, skipMergeValidation: false };

describe("applyMergeFields", () => {
  it("normalizes valid values and ignores tags the audience does not have", () => {
    const outcome = applyMergeFields(
      fields,
      { PLANT: "Detroit" },
      {
        REVENUE: "42",
        BIRTHDAY: "31/12",
        SEGMENT: "OEM",
        SITE: "https://lake-foundry.com",
        UNKNOWN: 1,
      },
      options,
    );

    expect(outcome.errors).toEqual([]);
    expect(outcome.values).toEqual({
      PLANT: "Detroit",
      REVENUE: 42,
      BIRTHDAY: "31/12",
      SEGMENT: "OEM",
      SITE: "https://lake-foundry.com",
    });
  });

  it("reports each bad value by tag", () => {
    const outcome = applyMergeFields(
      fields,
      { PLANT: "Detroit" },
      { BIRTHDAY: "12/31", SEGMENT: "Retail", SITE: "lake-foundry", PHONE: "555-0101", PLANT: "" },
      options,
    );

    expect(outcome.errors.map((error) => error.field)).toEqual([
      "BIRTHDAY",
      "SEGMENT",
      "SITE",
      "PHONE",
      "PLANT",
    ]);
  });

  it("clears a value with an empty string", () => {
    expect(applyMergeFields(fields, { REVENUE: 5 }, { REVENUE: "" }, options).values.REVENUE).toBe(
      "",
    );
  });

  it("keeps null, booleans and objects for the schema-level error", () => {
    const outcome = applyMergeFields(fields, {}, { REVENUE: null, PLANT: true }, options);

    expect(outcome.schemaErrors.map((error) => error.field)).toEqual([
      "merge_fields.REVENUE",
      "merge_fields.PLANT",
    ]);
  });
});
