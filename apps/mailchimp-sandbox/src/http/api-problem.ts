/**
 * Mailchimp's error bodies: `application/problem+json` with type, title, status, detail, instance
 * and, for validation failures, `errors[] {field, message}` (reference/mailchimp-api.md §1 "Error
 * body" and "Validation errors"). Every title and detail used by the sandbox is defined here, each
 * with the source it was taken from, so a reader can audit the wording in one place.
 */
export type TFieldError = { field: string; message: string };

/** The `type` URI Mailchimp sends today (recorded responses in the reference's sources). */
export const PROBLEM_TYPE = "https://mailchimp.com/developer/marketing/docs/errors/";

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: TFieldError[],
    /** Methods the path supports, sent as the `Allow` header of a 405 ([ERR] glossary). */
    readonly allow?: string[],
  ) {
    super(`${title}: ${detail}`);
    this.name = "ApiProblem";
  }
}

export const VALIDATION_DETAIL =
  "The resource submitted could not be validated. " +
  "For field-specific details, see the 'errors' array.";

const INTERNAL_DETAIL =
  "An unexpected internal error has occurred. Please contact Support for more information.";

const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Resource Not Found",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Constructors for the problems the sandbox answers. Sources in reference/mailchimp-api.md. */
export const problems = {
  // [ERR] glossary: 404 ResourceNotFound.
  notFound: () =>
    new ApiProblem(404, "Resource Not Found", "The requested resource could not be found."),
  // [ERR] glossary: 405 MethodNotAllowed.
  methodNotAllowed: (allow: string[]) =>
    new ApiProblem(
      405,
      "Method Not Allowed",
      "The requested method and resource are not compatible. See the Allow header for this " +
        "resource's available methods.",
      undefined,
      allow,
    ),
  // [ERR] glossary: 400 JSONParseError.
  jsonParse: () =>
    new ApiProblem(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error."),
  // drewm/mailchimp-api#179 and OperationCode#692: schema failures list field errors.
  invalidResource: (errors: TFieldError[]) =>
    new ApiProblem(400, "Invalid Resource", VALIDATION_DETAIL, errors),
  // A 400 "Invalid Resource" whose detail carries the reason (fake e-mail, webhook URL, …).
  invalidResourceDetail: (detail: string) => new ApiProblem(400, "Invalid Resource", detail),
  // grouparoo recorded response: {"field":"LTV","message":"Please enter a number"}.
  mergeFieldsInvalid: (errors: TFieldError[]) =>
    new ApiProblem(400, "Invalid Resource", "Your merge fields were invalid.", errors),
  // §3.5: "x@y looks fake or invalid, please enter a real email address."
  fakeEmail: (email: string) =>
    new ApiProblem(
      400,
      "Invalid Resource",
      `${email} looks fake or invalid, please enter a real email address.`,
    ),
  // Recorded answer 2026-10-09 (describeMailchimpError fixtures): invalid syntax.
  invalidEmail: () =>
    new ApiProblem(400, "Invalid Resource", "Please provide a valid email address."),
  // drewm ErrorHandler INVALID_DOMAIN: "domain portion of the email address is invalid".
  invalidEmailDomain: (domain: string) =>
    new ApiProblem(
      400,
      "Invalid Resource",
      `The domain portion of the email address is invalid (the portion after the @: ${domain})`,
    ),
  // §3.5 Member In Compliance State.
  complianceState: (email: string) =>
    new ApiProblem(
      400,
      "Member In Compliance State",
      `${email} is in a compliance state due to unsubscribe, bounce, or compliance review and ` +
        "cannot be subscribed.",
    ),
  // §3.5 Forgotten Email Not Subscribed.
  forgottenEmail: (email: string) =>
    new ApiProblem(
      400,
      "Forgotten Email Not Subscribed",
      `${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe ` +
        "to get back on the list.",
    ),
  // §3.1 Member Exists (POST on an existing address).
  memberExists: (email: string) =>
    new ApiProblem(
      400,
      "Member Exists",
      `${email} is already a list member. Use PUT to insert or update list members.`,
    ),
  // [ERR] glossary: 401 APIKeyMissing.
  apiKeyMissing: () =>
    new ApiProblem(401, "API Key Missing", "Your request did not include an API key."),
  // [ERR] glossary + recorded responses (mc-woocommerce#646): 401 APIKeyInvalid.
  apiKeyInvalid: () =>
    new ApiProblem(
      401,
      "API Key Invalid",
      "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
    ),
  // [ERR] glossary: 403 WrongDatacenter (sent instead of the 401 when so configured).
  wrongDatacenter: () =>
    new ApiProblem(
      403,
      "Wrong Datacenter",
      "The API key provided is linked to a different data center.",
    ),
  // [ERR] glossary: 429 TooManyRequests; [FUND] 10 simultaneous connections.
  tooManyRequests: () =>
    new ApiProblem(
      429,
      "Too Many Requests",
      "You have exceeded the limit of 10 simultaneous connections.",
    ),
  // [ERR] glossary: 500 InternalServerError.
  internal: () => new ApiProblem(500, "Internal Server Error", INTERNAL_DETAIL),
  // Injected faults: the status asked for, with a generic title for it.
  serverError: (status: number) =>
    status === 500
      ? new ApiProblem(500, "Internal Server Error", INTERNAL_DETAIL)
      : new ApiProblem(
          status,
          STATUS_TITLES[status] ?? "Error",
          "The sandbox injected this failure.",
        ),
  // Not in the glossary: Express answers an oversized body before Mailchimp-style handling would.
  payloadTooLarge: () =>
    new ApiProblem(413, "Request Entity Too Large", "The request body is too large."),
};

export type TProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: TFieldError[];
};

export function problemBody(problem: ApiProblem, instance: string): TProblemBody {
  const body: TProblemBody = {
    type: PROBLEM_TYPE,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
  };
  if (problem.errors !== undefined) body.errors = problem.errors;

  return body;
}
