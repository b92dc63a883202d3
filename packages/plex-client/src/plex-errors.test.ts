import { describe, expect, it } from "vitest";

import { plexErrorFromResponse, retryHintFromMessage } from "./plex-errors.js";

describe("plexErrorFromResponse", () => {
  it("classifies 429 as retryable and reads the wait from the message when no header", () => {
    const error = plexErrorFromResponse("GET /mdm/v1/customers", 429, {
      code: "TOO_MANY_REQUESTS",
      message: "Rate limit exceeded. Try again in 12 seconds.",
    });

    expect(error.kind).toBe("rate-limited");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(12_000);
  });

  it("prefers Retry-After over the message", () => {
    const error = plexErrorFromResponse(
      "GET x",
      429,
      { message: "in 12 seconds" },
      {
        "retry-after": "3",
      },
    );

    expect(error.retryAfterMs).toBe(3_000);
  });

  it("keeps Plex's code and message in a permanent error", () => {
    const error = plexErrorFromResponse("GET /mdm/v1/customers", 400, {
      code: "REQUEST_VALIDATION_FAILED",
      message: "Validation failed",
      errors: [{ code: "ARGUMENT_INVALID", message: "modifiedDateBegin is invalid" }],
    });

    expect(error.retryable).toBe(false);
    expect(error.code).toBe("REQUEST_VALIDATION_FAILED");
    expect(error.message).toBe(
      "Plex GET /mdm/v1/customers answered 400 REQUEST_VALIDATION_FAILED: Validation failed",
    );
  });

  it("treats 5xx as retryable and 401 as an authentication problem", () => {
    expect(plexErrorFromResponse("GET x", 503, "").retryable).toBe(true);
    const auth = plexErrorFromResponse("GET x", 401, { code: "REQUEST_NOT_AUTHENTICATED" });
    expect(auth.kind).toBe("auth");
    expect(auth.retryable).toBe(false);
  });

  it("finds no hint in an ordinary message", () => {
    expect(retryHintFromMessage("Too many requests")).toBeUndefined();
  });
});
