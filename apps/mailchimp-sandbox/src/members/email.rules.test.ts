import { describe, expect, it } from "vitest";

import { emailProblem } from "./email.rules.js";

const rules = { rejectFakeEmails: true, extraFakeDomains: ["competitor-spam.com"] };

describe("emailProblem", () => {
  it.each([
    "jane.doe@lake-foundry.com",
    "o'brien+orders@north-plant.co.uk",
    "ARNE.SVENSSON@Steelworks.se",
  ])("accepts %s", (email) => {
    expect(emailProblem(email, rules)).toBeUndefined();
  });

  it.each([
    "",
    "no-at-sign",
    "two@@ats.com",
    "trailing.dot.@lake-foundry.com",
    "a b@lake-foundry.com",
  ])("answers 'Please provide a valid email address.' for %j", (email) => {
    expect(emailProblem(email, rules)?.detail).toBe("Please provide a valid email address.");
  });

  it("answers the domain problem for a domain without a top-level domain", () => {
    expect(emailProblem("jane@lakefoundry", rules)?.detail).toBe(
      "The domain portion of the email address is invalid (the portion after the @: lakefoundry)",
    );
  });

  it.each([
    "test@lake-foundry.com",
    "x@example.org",
    "buyer@competitor-spam.com",
    "al@gmail.com",
    "z@plant.test",
  ])("flags %s as fake", (email) => {
    expect(emailProblem(email, rules)?.detail).toBe(
      `${email} looks fake or invalid, please enter a real email address.`,
    );
  });

  it("accepts fake-looking addresses when the heuristic is switched off", () => {
    expect(
      emailProblem("test@example.com", { rejectFakeEmails: false, extraFakeDomains: [] }),
    ).toBeUndefined();
  });
});
