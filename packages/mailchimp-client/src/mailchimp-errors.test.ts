import { describe, expect, it } from "vitest";

import { mailchimpErrorFromResponse } from "./mailchimp-errors.js";

describe("mailchimpErrorFromResponse", () => {
  it("keeps title, detail and field errors of a problem+json answer", () => {
    const error = mailchimpErrorFromResponse("PUT /lists/x/members/{hash}", 400, {
      type: "https://mailchimp.com/developer/marketing/docs/errors/",
      title: "Invalid Resource",
      status: 400,
      detail: "The resource submitted could not be validated.",
      errors: [{ field: "merge_fields.FNAME", message: "Data did not match any of the schemas" }],
    });

    expect(error.retryable).toBe(false);
    expect(error.title).toBe("Invalid Resource");
    expect(error.fieldErrors).toEqual([
      { field: "merge_fields.FNAME", message: "Data did not match any of the schemas" },
    ]);
    expect(error.message).toContain("merge_fields.FNAME");
  });

  it("treats a 403 with no body as the rate limit it is under load", () => {
    const error = mailchimpErrorFromResponse("GET /ping", 403, "");

    expect(error.kind).toBe("rate-limited");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("(no body)");
  });

  it("treats a 403 with a problem body as a permission problem", () => {
    const error = mailchimpErrorFromResponse("GET /lists", 403, {
      title: "Forbidden",
      detail: "You don't have permission to access this resource",
    });

    expect(error.kind).toBe("auth");
    expect(error.retryable).toBe(false);
  });

  it("retries 429 and 5xx", () => {
    expect(mailchimpErrorFromResponse("GET x", 429, { title: "Too Many Requests" }).kind).toBe(
      "rate-limited",
    );
    expect(mailchimpErrorFromResponse("GET x", 502, "").retryable).toBe(true);
  });
});
