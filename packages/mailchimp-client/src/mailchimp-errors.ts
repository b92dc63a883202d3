/**
 * Mailchimp errors, classified once. Mailchimp answers problems as application/problem+json
 * ({type, title, status, detail, instance, errors[]}); under heavy load it may also answer 429 or
 * a 403 with no body at all (reference mailchimp-api.md §1–2). Retryable: 429, body-less 403,
 * 5xx, timeouts and resets. Permanent: everything else — fake or invalid addresses, compliance
 * state, validation — with Mailchimp's title and detail in the message.
 */
import { isAxiosError } from "axios";

import { parseRetryAfter, scrubbedMessage } from "@ml-connector/runtime";

export type TMailchimpErrorKind = "rate-limited" | "server" | "network" | "auth" | "client";

export type TFieldError = { field: string; message: string };

export class MailchimpApiError extends Error {
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly kind: TMailchimpErrorKind,
    readonly status: number,
    readonly title: string | undefined,
    readonly detail: string | undefined,
    readonly fieldErrors: TFieldError[],
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = "MailchimpApiError";
    this.retryable = kind === "rate-limited" || kind === "server" || kind === "network";
  }
}

function readProblem(data: unknown) {
  if (typeof data !== "object" || data === null) return { empty: data === "" || data == null };
  const body = data as Record<string, unknown>;
  const errors = Array.isArray(body.errors)
    ? (body.errors as Record<string, unknown>[]).map((entry) => ({
        field: typeof entry.field === "string" ? entry.field : "",
        message: typeof entry.message === "string" ? entry.message.slice(0, 300) : "",
      }))
    : [];

  return {
    empty: false,
    title: typeof body.title === "string" ? body.title : undefined,
    detail: typeof body.detail === "string" ? body.detail.slice(0, 500) : undefined,
    errors,
  };
}

export function mailchimpErrorFromResponse(
  what: string,
  status: number,
  data: unknown,
  headers: Record<string, unknown> = {},
): MailchimpApiError {
  const problem = readProblem(data);
  const fields = (problem.errors ?? []).map((error) => `${error.field}: ${error.message}`);
  const described = [problem.title, problem.detail, ...fields].filter(Boolean).join(" — ");
  const message = scrubbedMessage(
    `Mailchimp ${what} answered ${status}${described === "" ? " (no body)" : ` ${described}`}`,
  );
  const retryAfter = parseRetryAfter(headers["retry-after"] as string | undefined);
  const make = (kind: TMailchimpErrorKind, wait?: number) =>
    new MailchimpApiError(
      message,
      kind,
      status,
      problem.title,
      problem.detail,
      problem.errors ?? [],
      wait,
    );

  if (status === 429) return make("rate-limited", retryAfter);
  // "At exceptionally high volumes, you may receive an HTTP 429 or 403 without a JSON body."
  if (status === 403 && problem.empty) return make("rate-limited", retryAfter);
  if (status >= 500) return make("server", retryAfter);
  if (status === 401 || status === 403) return make("auth");

  return make("client");
}

export function mailchimpErrorFromException(err: unknown, what: string): MailchimpApiError {
  if (err instanceof MailchimpApiError) return err;
  if (isAxiosError(err) && err.response !== undefined) {
    const headers = err.response.headers as Record<string, unknown>;

    return mailchimpErrorFromResponse(what, err.response.status, err.response.data, headers);
  }
  const code = isAxiosError(err) ? (err.code ?? "NETWORK") : "NETWORK";
  const reason = isAxiosError(err) ? code : scrubbedMessage(err);

  return new MailchimpApiError(
    `Mailchimp ${what} failed: ${reason} (no answer)`,
    "network",
    0,
    undefined,
    undefined,
    [],
    undefined,
  );
}
