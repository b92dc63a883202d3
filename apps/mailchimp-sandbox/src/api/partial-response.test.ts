import { describe, expect, it } from "vitest";

import { applyFieldSelection } from "./partial-response.js";

const body = {
  members: [
    { id: "1", email_address: "a@lake-foundry.com", merge_fields: { FNAME: "A", LNAME: "B" } },
    { id: "2", email_address: "b@lake-foundry.com", merge_fields: { FNAME: "C", LNAME: "D" } },
  ],
  total_items: 2,
  _links: [],
};

describe("applyFieldSelection", () => {
  it("keeps the named fields through arrays", () => {
    expect(applyFieldSelection(body, "members.id,members.merge_fields.FNAME,total_items")).toEqual({
      members: [
        { id: "1", merge_fields: { FNAME: "A" } },
        { id: "2", merge_fields: { FNAME: "C" } },
      ],
      total_items: 2,
    });
  });

  it("drops excluded fields", () => {
    expect(applyFieldSelection(body, undefined, "_links,members.merge_fields")).toEqual({
      members: [
        { id: "1", email_address: "a@lake-foundry.com" },
        { id: "2", email_address: "b@lake-foundry.com" },
      ],
      total_items: 2,
    });
  });
});
