/**
 * Error answers of Plex Connect: `{ code, message, errors[] }` (reference/plex-api.md §2.6). The
 * 401 body is the documented one; validation errors carry `errors[]` of `{ code, message }`.
 */
import type { Response } from "express";

import type { TPlexError } from "./query.parser.js";

export const NOT_AUTHENTICATED = {
  code: "REQUEST_NOT_AUTHENTICATED",
  message: "The request could not be authenticated.",
} as const;

export function sendNotAuthenticated(res: Response): void {
  res.status(401).json(NOT_AUTHENTICATED);
}

export function sendArgumentInvalid(res: Response, errors: TPlexError[]): void {
  res.status(400).json({
    code: "ARGUMENT_INVALID",
    message: "One or more arguments are invalid.",
    errors,
  });
}

export function sendValidationFailed(res: Response, errors: TPlexError[]): void {
  res.status(400).json({
    code: "REQUEST_VALIDATION_FAILED",
    message: "The request failed validation.",
    errors,
  });
}

export function sendNotFound(res: Response, what = "resource"): void {
  res.status(404).json({ code: "RESOURCE_NOT_FOUND", message: `The ${what} does not exist.` });
}
